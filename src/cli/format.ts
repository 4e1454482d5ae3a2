// Numbers and tables read the same in the terminal as in reports.
export { duration as seconds, fixed, meanStd } from '../report/numbers.js';
export { table } from '../report/terminal-table.js';
