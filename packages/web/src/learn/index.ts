export { LearnMore, LEARN_MORE_TITLE_ID } from './LearnMore.js';
export { LEARN_SECTIONS } from './section.js';
