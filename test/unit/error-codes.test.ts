import { readFileSync } from 'node:fs';
import { ERROR_CODES, problemType, type ErrorCode } from '../../src/errors/error-codes.js';
import { AppError } from '../../src/errors/app-error.js';
import { toProblem } from '../../src/errors/problem.js';

describe('error table', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  it.each(Object.keys(ERROR_CODES) as ErrorCode[])(
    '%s is documented with its status, under the anchor its problem type names',
    (code) => {
      const anchor = problemType(code).split('/').pop() ?? '';
      const row = doc.split('\n').find((line) => line.startsWith(`| <a id="${anchor}"></a>\`${code}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${ERROR_CODES[code].status} |`);
    },
  );
  it('maps an error to RFC 9457 problem details', () => {
    const problem = toProblem(
      new AppError('XGW_XOEV_INVALID', { detail: 'bad', errors: [{ message: 'm', line: 3, column: 7 }] }),
      '/v1/messages',
    );
    expect(problem).toEqual({
      type: 'https://xoev-ai-gateway.dev/problems/xgw-xoev-invalid',
      title: ERROR_CODES.XGW_XOEV_INVALID.title,
      status: 422,
      code: 'XGW_XOEV_INVALID',
      detail: 'bad',
      instance: '/v1/messages',
      errors: [{ message: 'm', line: 3, column: 7 }],
    });
  });
});
