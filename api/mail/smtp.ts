/**
 * SMTP delivery through nodemailer, for the Node entry and the CLI only (Workers log instead:
 * they have no SMTP client).
 */
import nodemailer from 'nodemailer'
import { MailRelayUnavailable, type MailTransport } from '../services/outbox.ts'

/** nodemailer's codes for a message the relay refused; any other failure is the relay's own. */
const refusedMessageCodes = new Set(['EENVELOPE', 'EMESSAGE'])

/**
 * A transport that sends through the SMTP server at `url` (smtp:// or smtps://, credentials in
 * the URL). Connecting, the greeting and every wait for an answer give up after `timeoutMs`
 * (10 s unless told), so a relay that hangs costs one timeout, not the minutes of nodemailer's
 * defaults.
 */
export function smtpTransport(
  url: string,
  from: string,
  options: { timeoutMs?: number } = {},
): MailTransport {
  const timeoutMs = options.timeoutMs ?? 10_000
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  })
  return {
    name: 'smtp',
    async send(message) {
      try {
        await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text })
      } catch (error) {
        const code = (error as { code?: unknown }).code
        if (typeof code === 'string' && refusedMessageCodes.has(code)) throw error
        const text = error instanceof Error ? error.message : String(error)
        throw new MailRelayUnavailable(`SMTP relay unavailable: ${text}${code ? ` (${code})` : ''}`, {
          cause: error,
        })
      }
    },
  }
}
