/** Neutral atmosphere: NRLMSISE-00, its coefficient tables, and the space-weather inputs. */

export {
  NRLMSISE00_SWITCH_COUNT,
  type Nrlmsise00Input,
  type Nrlmsise00Output,
  nrlmsise00,
} from './nrlmsise00.js';
export { type Nrlmsise00Coefficients, parseNrlmsise00Coefficients } from './nrlmsise00-coefficients.js';
