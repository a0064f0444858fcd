/**
 * Colours. Chains take the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), whose
 * colours stay distinct for the common forms of colour blindness; past eight chains the colours
 * repeat with a dash pattern so that no two chains look alike.
 */

const CHAIN_COLORS = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#D55E00", // vermillion
  "#999933", // olive
  "#332288", // indigo
] as const;

const DASHES = [undefined, "6 3", "2 2", "8 3 2 3"] as const;

/** The colour of chain `c` (0-based). */
export function chainColor(c: number): string {
  return CHAIN_COLORS[c % CHAIN_COLORS.length] as string;
}

/** The dash pattern of chain `c` (0-based): none for the first eight chains. */
export function chainDash(c: number): string | undefined {
  return DASHES[Math.floor(c / CHAIN_COLORS.length) % DASHES.length];
}

/** The posterior's colour in pictures that compare it with REML. */
export const POSTERIOR_COLOR = "#0072B2";
/** REML's colour. */
export const REML_COLOR = "#D55E00";
/** The separate least-squares fits' colour (shrinkage plot). */
export const SEPARATE_COLOR = "#7a7a7a";
/** Reference lines (zero, expected counts). */
export const REFERENCE_COLOR = "#444444";
