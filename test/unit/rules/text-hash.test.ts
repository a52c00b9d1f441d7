import { hashText } from '../../../src/analysis/text-hash.js';

describe('hashText', () => {
  it('is the sha256 hex digest of the UTF-8 text', () => {
    expect(hashText('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashText('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('distinguishes texts that differ only in an umlaut or whitespace', () => {
    expect(hashText('Bauantrag für Grundstück')).not.toBe(hashText('Bauantrag fuer Grundstück'));
    expect(hashText('Az. 63-2024')).not.toBe(hashText('Az.  63-2024'));
  });
});
