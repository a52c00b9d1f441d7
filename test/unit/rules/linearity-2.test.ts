import { describeLinearity } from '../../support/linearity-cases.js';

/** The second half of the hostile texts (test/support/linearity-cases.ts); the first is in linearity.test.ts. */
describeLinearity(1);
