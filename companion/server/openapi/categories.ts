// The category definitions (companion/server/lab-categories.ts): GWE's Simple Engagement Model.
import { arrayOf, BAD_REQUEST, json, jsonBody, NOT_FOUND, pathParam, schemaRef, STORAGE, TOO_LARGE, type Operation, type Paths } from './build';

const all = (description: string) => json(description, arrayOf(schemaRef('Category')));

const op = (operationId: string, summary: string, rest: Partial<Operation> & Pick<Operation, 'responses'>): Operation => ({
  operationId,
  tags: ['lab'],
  summary,
  ...rest,
  'x-visitor-lab-addition': true,
});

export const categoryPaths: Paths = {
  '/lab/categories': {
    get: op('listCategories', 'The category definitions events are labelled with at intake', { responses: { '200': all('the categories'), ...BAD_REQUEST } }),
    put: op('replaceCategories', 'Replace every category ([] removes them all)', {
      requestBody: jsonBody(arrayOf(schemaRef('Category'))),
      responses: { '200': all('the categories now'), ...BAD_REQUEST, ...TOO_LARGE, ...STORAGE },
    }),
    post: op('postCategories', 'Add categories, or change those of the same name (one or an array)', {
      requestBody: jsonBody({ anyOf: [schemaRef('Category'), { ...arrayOf(schemaRef('Category')), minItems: 1 }] }),
      responses: { '201': all('the categories now'), ...BAD_REQUEST, ...TOO_LARGE, ...STORAGE },
    }),
  },
  '/lab/categories/{name}': {
    delete: op('deleteCategory', 'Remove a category', {
      parameters: [pathParam('name', "the category's name")],
      responses: { '200': all('the categories left'), ...BAD_REQUEST, ...NOT_FOUND, ...STORAGE },
    }),
  },
};
