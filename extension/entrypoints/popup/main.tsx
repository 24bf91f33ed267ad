import { render } from 'preact';
import { browser } from 'wxt/browser';
import { send, subscribe } from '../../messaging/client.ts';
import { download } from '../../ui/download.ts';
import '../../ui/styles.css';
import { PopupApp } from './popup-app.tsx';

const root = document.getElementById('app')!;
render(
  <PopupApp
    client={{ send, subscribe }}
    openAgencyPages={() => void browser.runtime.openOptionsPage()}
    download={download}
  />,
  root,
);
