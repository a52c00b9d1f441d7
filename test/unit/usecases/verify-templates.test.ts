import { fromRoot } from '../../../src/config/paths.js';
import { createUseCases } from '../../../src/usecases/use-cases.js';
import { loadCatalog, type XoevCatalog } from '../../../src/xoev/catalog.js';

/** Every shipped reply template makes a valid message; a broken one stops start-up, naming itself. */
describe('reply templates checked at start-up', () => {
  let catalog: XoevCatalog;
  beforeAll(async () => {
    catalog = await loadCatalog(fromRoot('xoev-schemas'));
  });
  afterAll(() => catalog.close());

  it('accepts the shipped templates (XBau 0201, xdomea 3.0.0 and 2.4.0 0502)', () => {
    expect(() => createUseCases(catalog, 'test').verifyTemplates()).not.toThrow();
  });

  it('refuses a template whose reply does not validate, with XGW_CONFIG_INVALID naming it', () => {
    const broken = {
      standards: () => catalog.standards(),
      codeList: (uri: string) => catalog.codeList(uri),
      check: (body: Buffer, limits?: { maxBodyBytes?: number; maxElements?: number }) => catalog.check(body, limits),
      profile: (standard: string, version: string, messageType: string) => {
        const p = catalog.profile(standard, version, messageType);
        return p?.reply === undefined
          ? p
          : {
              ...p,
              reply: {
                ...p.reply,
                templateText: p.reply.templateText.replace(/<xbau:antragVollstaendig>/, '<xbau:antragVollstaendig>x'),
              },
            };
      },
    };
    expect(() => createUseCases(broken, 'test').verifyTemplates()).toThrow(
      expect.objectContaining({
        code: 'XGW_CONFIG_INVALID',
        detail: expect.stringContaining('baugenehmigung.formellePruefung.0201'),
      }),
    );
  });
});
