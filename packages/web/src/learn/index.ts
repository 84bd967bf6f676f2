export { LearnMore, LEARN_MORE_TITLE_ID, LEARN_SECTIONS } from './LearnMore.js';
