import net from 'node:net';

/**
 * Tests talk to 127.0.0.1 and nothing else. Any socket a test (or a library under test) opens to
 * another address is refused and fails the test file: that is how the gateway's built-in
 * telemetry, which probed cloud metadata endpoints, was caught.
 */
const refused: string[] = [];
const originalConnect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: any[]) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  const host: string = options.host ?? 'localhost';
  if (!options.path && !isLoopback(host)) {
    refused.push(`${host}:${options.port}`);
    throw new Error(`Tests may only connect to the loopback interface; refused ${host}:${options.port}`);
  }
  return (originalConnect as any).apply(this, args);
} as any;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';
}

afterAll(() => {
  expect(refused).toEqual([]);
});
