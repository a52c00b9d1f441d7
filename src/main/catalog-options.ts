import type { Config } from '../config/config.js';
import type { CatalogOptions } from '../xoev/catalog.js';

/**
 * The catalog's options from the configuration: what the API checks messages with, and what
 * `xoev-gw validate` checks them with, so both give the same verdict for the same bytes.
 */
export function catalogOptionsOf(config: Config): CatalogOptions {
  return {
    partMinChars: config.partMinChars,
    partMaxChars: config.partMaxChars,
    limits: {
      maxBodyBytes: config.maxBodyBytes,
      maxDepth: config.xmlMaxDepth,
      maxAttachmentBytes: config.maxAttachmentBytes,
      maxAttachmentsTotalBytes: config.maxAttachmentsTotalBytes,
    },
  };
}
