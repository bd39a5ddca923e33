export { loadConfig, describeConfig, SECRET_SETTINGS, type Config } from './load-config.js';
