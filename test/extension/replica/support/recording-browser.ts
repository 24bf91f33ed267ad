// A test browser whose socket records every frame it receives (the bytes a member's connection carries, for
// D15's byte search), with its own X25519 key for amounts.
import { generateSealKey } from '../../../../extension/replica/sealing.ts';
import { Browser } from './peers.ts';

export class RecordingBrowser extends Browser {
  readonly received: Uint8Array[] = [];
  sealKey!: CryptoKeyPair;

  static async open(name: string): Promise<RecordingBrowser> {
    const plain = await Browser.make(name);
    const b = new RecordingBrowser(name);
    b.signer = plain.signer;
    b.sealKey = await generateSealKey();
    return b;
  }

  override get base() {
    const received = this.received;
    class RecordingSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (e: MessageEvent) => {
          if (e.data instanceof ArrayBuffer) received.push(new Uint8Array(e.data));
          else if (typeof e.data === 'string') received.push(new TextEncoder().encode(e.data));
        });
      }
    }
    return { ...super.base, sealKey: this.sealKey, WebSocketImpl: RecordingSocket as typeof WebSocket };
  }
}
