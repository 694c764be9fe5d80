/** Neutral atmosphere: NRLMSISE-00, its coefficient tables, and the space-weather inputs. */

export {
  type AtmosphereActivity,
  type AtmosphericDensity,
  atmosphericDensity,
} from './atmospheric-density.js';
export {
  NRLMSISE00_SWITCH_COUNT,
  type Nrlmsise00Input,
  type Nrlmsise00Output,
  Nrlmsise00Workspace,
  nrlmsise00,
} from './nrlmsise00.js';
export { type Nrlmsise00Coefficients, parseNrlmsise00Coefficients } from './nrlmsise00-coefficients.js';
export {
  parseCelestrakSpaceWeatherCsv,
  parseCssiSpaceWeather,
  type SpaceWeatherDataType,
  type SpaceWeatherMonth,
  type SpaceWeatherParseOptions,
  type SpaceWeatherTable,
  type SpaceWeatherValues,
  spaceWeatherAt,
} from './space-weather.js';
