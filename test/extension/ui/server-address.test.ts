// What a member types as the sync server address, read as they meant it (the options pages' two server
// fields): the expected addresses are written out by hand.
import { describe, expect, it } from 'vitest';
import { serverAddress } from '../../../extension/ui/fields.ts';

describe('serverAddress', () => {
  it.each([
    ['ws://localhost:1234', 'ws://localhost:1234'],
    ['  wss://sync.example.com  ', 'wss://sync.example.com'],
    ['WSS://Sync.Example.com', 'wss://Sync.Example.com'],
    ['http://localhost:1234', 'ws://localhost:1234'],
    ['https://sync.example.com/a', 'wss://sync.example.com/a'],
    ['localhost:1234', 'ws://localhost:1234'],
    ['127.0.0.1:1234', 'ws://127.0.0.1:1234'],
    ['192.168.1.20:1234', 'ws://192.168.1.20:1234'],
    ['172.20.0.3', 'ws://172.20.0.3'],
    ['172.32.0.3', 'wss://172.32.0.3'],
    ['[::1]:1234', 'ws://[::1]:1234'],
    ['dev.localhost:1234', 'ws://dev.localhost:1234'],
    ['sync.example.com', 'wss://sync.example.com'],
    ['localhost.example.com', 'wss://localhost.example.com'],
    ['ftp://sync.example.com', 'ftp://sync.example.com'],
  ])('%s → %s', (typed, meant) => {
    expect(serverAddress(typed)).toBe(meant);
  });
});
