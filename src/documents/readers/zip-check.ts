import { fromBufferPromise } from 'yauzl';
import type { DocumentLimits } from '../document-limits.js';
import { DocumentEncryptedError, DocumentLimitError } from './reader-errors.js';

/**
 * Proves that a zip package (DOCX) unpacks within the limits before a library that trusts it
 * (mammoth, through jszip) touches it: entry count and declared sizes from the central directory,
 * then every entry actually inflated and counted as it streams (yauzl stops an entry that inflates
 * beyond its declared size), so neither a lying header nor entries sharing one compressed stream
 * (the non-recursive zip bomb) get past. Linear in the unpacked bytes, which are bounded.
 */
export async function checkZipWithinLimits(bytes: Buffer, limits: Pick<DocumentLimits, 'maxEntries' | 'maxUnpackedBytes'>): Promise<void> {
  const zip = await fromBufferPromise(bytes, { validateEntrySizes: true, strictFileNames: false });
  try {
    if (zip.entryCount > limits.maxEntries) throw new DocumentLimitError(`${zip.entryCount} zip entries; DOCUMENT_MAX_ENTRIES is ${limits.maxEntries}`);
    let declared = 0;
    let unpacked = 0;
    for await (const entry of zip.eachEntry()) {
      if (entry.isEncrypted()) throw new DocumentEncryptedError('an encrypted zip entry');
      declared += entry.uncompressedSize;
      if (declared > limits.maxUnpackedBytes) throw new DocumentLimitError(`the package declares more than ${limits.maxUnpackedBytes} unpacked bytes (DOCUMENT_MAX_UNPACKED_BYTES)`);
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      for await (const chunk of stream) {
        unpacked += chunk instanceof Buffer ? chunk.byteLength : 0;
        if (unpacked > limits.maxUnpackedBytes) {
          stream.destroy();
          throw new DocumentLimitError(`the package unpacks to more than ${limits.maxUnpackedBytes} bytes (DOCUMENT_MAX_UNPACKED_BYTES)`);
        }
      }
    }
  } finally {
    zip.close();
  }
}
