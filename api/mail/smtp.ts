/**
 * SMTP delivery through nodemailer, for the Node entry and the CLI only (Workers log instead:
 * they have no SMTP client).
 */
import nodemailer from 'nodemailer'
import type { MailTransport } from '../services/outbox.ts'

/** A transport that sends through the SMTP server at `url` (smtp:// or smtps://, credentials in the URL). */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(url)
  return {
    name: 'smtp',
    async send(message) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text })
    },
  }
}
