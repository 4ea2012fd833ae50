// api.js runs the explorer's persisted operations (operations.graphql) by
// their sha256 hashes, never by text: the server knows them from the
// manifest the build writes. With an asOf date it runs the operation's
// asOf variant and returns what Query.asOf holds, so a view reads the same
// shape either way.
import hashes from 'virtual:operations';

// GraphQLError carries the first error's message and extensions.code.
export class GraphQLError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

let requests = 0;

// gql runs the operation name with variables, as of asOf when given.
export async function gql(name, variables = {}, asOf = '') {
  const opName = asOf ? `${name}AsOf` : name;
  const id = hashes[opName];
  if (!id) throw new GraphQLError(`no persisted operation ${opName}`, 'INTERNAL');
  const vars = asOf ? { ...variables, asOf } : variables;
  requests++;
  const res = await fetch('/graphql', {
    method: 'POST',
    // application/json: a refused request is then a 200 with errors, which
    // the view shows, rather than a 4xx the browser also logs as a failed
    // load.
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ documentId: `sha256:${id}`, variables: vars }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new GraphQLError(`the server answered ${res.status} with no GraphQL response`, 'BAD_RESPONSE');
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new GraphQLError(e.message, e.extensions?.code || 'ERROR');
  }
  return asOf ? body.data.asOf : body.data;
}

// requestCount is how many operations the page has run, for the tests.
export function requestCount() {
  return requests;
}
