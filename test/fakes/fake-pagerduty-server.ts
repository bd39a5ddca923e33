// The fake PagerDuty server lives with the chaos harness (test-yolo and the demo serve alert details with it);
// tests import it from here as before.
export * from '../../chaos/harness/fake-pagerduty-server.js';
