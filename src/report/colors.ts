/**
 * One colour per method, the same in every chart of every report: the Okabe–Ito palette (told
 * apart with the common colour-vision deficiencies), keyed by the method's name and never by its
 * position in a chart, so that a method keeps its colour whatever else a report shows.
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** The built-in methods' colours, fixed. */
const BUILT_IN: Readonly<Record<string, string>> = {
  random: OKABE_ITO.black,
  evolution: OKABE_ITO.blue,
  enas: OKABE_ITO.vermillion,
  nao: OKABE_ITO.bluishGreen,
  'nao-ws': OKABE_ITO.skyBlue,
  naswot: OKABE_ITO.orange,
  area: OKABE_ITO.reddishPurple,
};

/** Other methods (plugins) by a hash of their name; yellow, faint on white, comes last. */
const OTHERS = [OKABE_ITO.orange, OKABE_ITO.reddishPurple, OKABE_ITO.skyBlue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.blue, OKABE_ITO.black, OKABE_ITO.yellow];

export function methodColor(method: string): string {
  const fixed = BUILT_IN[method];
  if (fixed !== undefined) return fixed;
  let h = 2166136261;
  for (let i = 0; i < method.length; i++) h = Math.imul(h ^ method.charCodeAt(i), 16777619) >>> 0;
  return OTHERS[h % OTHERS.length]!;
}

/** Line dashes for several settings of one method in one chart (same colour): solid first. */
const DASHES: readonly (readonly number[])[] = [[], [8, 4], [2, 3], [12, 3, 2, 3]];
/** Point shapes for the same, in scatter charts: circles first. */
const POINT_STYLES = ['circle', 'triangle', 'rect', 'crossRot'] as const;

/** Each series' place among its method's series in one chart: 0 for the first setting, 1 for the second… */
function settingOrdinals(methods: readonly string[]): number[] {
  const seen = new Map<string, number>();
  return methods.map((m) => {
    const k = seen.get(m) ?? 0;
    seen.set(m, k + 1);
    return k;
  });
}

/** The dash of each series: the k-th series of a method gets the k-th pattern. */
export const dashesByMethod = (methods: readonly string[]) => settingOrdinals(methods).map((k) => DASHES[k % DASHES.length]!);

/** The point shape of each scatter series: the k-th series of a method gets the k-th shape. */
export const pointStylesByMethod = (methods: readonly string[]) => settingOrdinals(methods).map((k) => POINT_STYLES[k % POINT_STYLES.length]!);

export const translucent = (hex: string, alpha: number) => `${hex}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
