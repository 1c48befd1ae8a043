// The example spec of issue 11, shared by the unit and integration tests of expectations.
export const ISSUE_SPEC = {
  name: 'remembered sign-in',
  visits: [{ steps: [
    { event: 'VisitStarted' },
    { event: 'PageEntered', url: '/login' },
    { event: 'SignIn', data: { email: 'pat@example.com' } },
    { state: 'Authenticated' },
    { event: 'SignOut' },
    { event: 'UserInfo' },
    { state: 'Recognized' },
  ] }],
  identities: [{ identityId: 'pat@example.com', visitScope: 'Recognized', visits: 1 }],
};
