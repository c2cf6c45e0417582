import type { Context } from 'grammy';

/** The context every feature sees. A named type so that flavors can be added in one place. */
export type BotContext = Context;
