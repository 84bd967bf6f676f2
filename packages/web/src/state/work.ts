// Work in the engine belongs to one photo on one network. A new photo, another network or Reset
// starts a new generation (so does each classification); every job carries the generation it was
// asked in, and answers from an older one are dropped.

let current = 0;

export const generation = (): number => current;

export const newGeneration = (): number => ++current;
