// Sending: the one service every send goes through (one participant here, lists and groups in
// ListSender), with its checks, progress, notifications and history.
import { MessagingFeaturesProbe } from '../account/messagingFeatures';
import type vscode = require('vscode');
import type { ClientFactory } from '../../host/clientFactory';
import type { AccountFeature } from '../account/register';
import type { AudienceStore } from '../compose/audienceStore';
import type { DraftStore } from '../compose/draftStore';
import type { HistoryStore } from '../history/historyStore';
import { ListSender } from './listSender';
import { MessageService } from './messageService';

export interface SendFeature {
  messages: MessageService;
  lists: ListSender;
}

export function createSend(services: {
  account: AccountFeature;
  clients: ClientFactory;
  drafts: DraftStore;
  audiences: AudienceStore;
  history: HistoryStore;
  log: vscode.LogOutputChannel;
}): SendFeature {
  const { account, clients, drafts, audiences, history, log } = services;
  const lists = new ListSender(audiences, history, () => account.clientFor(), log);
  const probe = new MessagingFeaturesProbe(log);
  const messages = new MessageService(
    account.tokens,
    account.tokenController,
    clients,
    drafts,
    audiences,
    lists,
    history,
    log,
    probe,
    () => account.account.get()?.id,
  );
  return { messages, lists };
}
