import { createRequire } from 'node:module';
import { fromRoot } from '../src/config/paths.js';

/** One layer of src/ as `.dependency-cruiser.cjs` declares it. */
export interface Layer {
  folder: string;
  holds: string;
}

export const LAYER_TABLE_START = '<!-- layer-table:start -->';
export const LAYER_TABLE_END = '<!-- layer-table:end -->';

function isLayer(value: unknown): value is Layer {
  return (
    typeof value === 'object' &&
    value !== null &&
    'folder' in value &&
    typeof value.folder === 'string' &&
    'holds' in value &&
    typeof value.holds === 'string'
  );
}

/** The layers of `.dependency-cruiser.cjs`, lowest first. */
export function readLayers(): Layer[] {
  const config: unknown = createRequire(import.meta.url)(fromRoot('.dependency-cruiser.cjs'));
  const layers: unknown =
    typeof config === 'object' && config !== null && 'layers' in config ? config.layers : undefined;
  if (!Array.isArray(layers) || !layers.every(isLayer))
    throw new Error('.dependency-cruiser.cjs does not export its layers');
  return layers;
}

/** The table docs/architecture.md shows: each folder, what it holds, what it may import. */
export function renderLayerTable(layers: readonly Layer[]): string {
  const rows = layers.map(
    (l, i) =>
      `| \`src/${l.folder}/\` | ${l.holds} | ${
        i === 0
          ? '—'
          : layers
              .slice(0, i)
              .map((b) => `\`${b.folder}\``)
              .join(', ')
      } |`,
  );
  return ['| folder (lowest first) | holds | may import |', '| --- | --- | --- |', ...rows].join('\n');
}
