/** One page of the audience becomes one batch per medium: 500 is firebase-admin's sendEach limit. */
export const BATCH_SIZE = 500;
