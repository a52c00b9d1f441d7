import { fromBufferPromise } from 'yauzl';
import type { DocumentLimits } from '../document-limits.js';
import { DocumentEncryptedError, DocumentLimitError } from './reader-errors.js';

/**
 * Proves that a zip package (DOCX) unpacks within the limits before a library that trusts it
 * (mammoth, through jszip) touches it: entry count and declared sizes from the central directory,
 * then every entry actually inflated and counted as it streams (yauzl stops an entry that inflates
 * beyond its declared size), so neither a lying header nor entries sharing one compressed stream
 * (the non-recursive zip bomb) get past. Linear in the unpacked bytes, which are bounded.
 * An XML part (what mammoth builds a tree of: some 30 bytes of memory per byte) may take an eighth
 * of the whole, 8 MiB by default — a document.xml of a thousand pages; a 20 MiB one kept a reader
 * busy for seconds before the memory limit ended it.
 */
export async function checkZipWithinLimits(
  bytes: Buffer,
  limits: Pick<DocumentLimits, 'maxEntries' | 'maxUnpackedBytes'>,
): Promise<void> {
  const zip = await fromBufferPromise(bytes, { validateEntrySizes: true, strictFileNames: false });
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new DocumentLimitError(`${zip.entryCount} zip entries; DOCUMENT_MAX_ENTRIES is ${limits.maxEntries}`);
    let declared = 0;
    let unpacked = 0;
    const maxXmlBytes = Math.floor(limits.maxUnpackedBytes / 8);
    for await (const entry of zip.eachEntry()) {
      if (entry.isEncrypted()) throw new DocumentEncryptedError('an encrypted zip entry');
      declared += entry.uncompressedSize;
      if (declared > limits.maxUnpackedBytes)
        throw new DocumentLimitError(
          `the package declares more than ${limits.maxUnpackedBytes} unpacked bytes (DOCUMENT_MAX_UNPACKED_BYTES)`,
        );
      if (entry.fileName.endsWith('/')) continue;
      const xml = /\.(xml|rels)$/i.test(entry.fileName);
      if (xml && entry.uncompressedSize > maxXmlBytes)
        throw new DocumentLimitError(
          `an XML part declares more than ${maxXmlBytes} bytes (an eighth of DOCUMENT_MAX_UNPACKED_BYTES)`,
        );
      const stream = await zip.openReadStreamPromise(entry);
      let entryBytes = 0;
      for await (const chunk of stream) {
        const size = chunk instanceof Buffer ? chunk.byteLength : 0;
        unpacked += size;
        entryBytes += size;
        if (unpacked > limits.maxUnpackedBytes || (xml && entryBytes > maxXmlBytes)) {
          stream.destroy();
          throw new DocumentLimitError(
            unpacked > limits.maxUnpackedBytes
              ? `the package unpacks to more than ${limits.maxUnpackedBytes} bytes (DOCUMENT_MAX_UNPACKED_BYTES)`
              : `an XML part unpacks to more than ${maxXmlBytes} bytes (an eighth of DOCUMENT_MAX_UNPACKED_BYTES)`,
          );
        }
      }
    }
  } finally {
    zip.close();
  }
}
