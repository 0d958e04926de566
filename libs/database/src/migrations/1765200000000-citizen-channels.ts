import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizen channels (issue 10): Twilio's delivery reports on the outbox row, how a WhatsApp
 * message was sent (free-form, template or SMS fallback), a citizen the provider says cannot be
 * reached, every inbound WhatsApp/SMS message (one row per MessageSid: a retried webhook finds
 * it), the shared send-rate limiter, the citizen's satisfaction rating and the closure check ("is it
 * really fixed?", once per resolution).
 */
export class CitizenChannels1765200000000 implements MigrationInterface {
  name = 'CitizenChannels1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sms_outbox
        ADD COLUMN delivery_status text,
        ADD COLUMN delivery_error_code int,
        ADD COLUMN delivery_updated_at timestamptz,
        ADD COLUMN send_mode text;
      CREATE INDEX sms_outbox_provider_message_idx ON sms_outbox (provider_message_id) WHERE provider_message_id IS NOT NULL;
      CREATE INDEX sms_outbox_uncertain_idx ON sms_outbox (created_at) WHERE status = 'UNCERTAIN';

      ALTER TABLE tickets ADD COLUMN citizen_unreachable jsonb;
      CREATE INDEX tickets_requester_open_idx ON tickets (requester_phone, received_at DESC) WHERE status <> 'CLOSED';

      CREATE TABLE inbound_messages (
        message_sid text PRIMARY KEY,
        channel text NOT NULL,
        from_phone text NOT NULL,
        body text NOT NULL,
        media jsonb NOT NULL DEFAULT '[]',
        ticket_id uuid REFERENCES tickets (id),
        outcome text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX inbound_messages_from_idx ON inbound_messages (from_phone, channel, received_at DESC);
      CREATE INDEX inbound_messages_ticket_idx ON inbound_messages (ticket_id, received_at) WHERE ticket_id IS NOT NULL;

      CREATE TABLE sms_rate_buckets (
        sender text PRIMARY KEY,
        tokens double precision NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE ticket_ratings (
        ticket_id uuid PRIMARY KEY REFERENCES tickets (id),
        rating int NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text,
        rated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE closure_checks (
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        round int NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        answer text CHECK (answer IN ('FIXED', 'NOT_FIXED')),
        answered_at timestamptz,
        PRIMARY KEY (ticket_id, round)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE closure_checks;
      DROP TABLE ticket_ratings;
      DROP TABLE sms_rate_buckets;
      DROP TABLE inbound_messages;
      DROP INDEX tickets_requester_open_idx;
      ALTER TABLE tickets DROP COLUMN citizen_unreachable;
      DROP INDEX sms_outbox_uncertain_idx;
      DROP INDEX sms_outbox_provider_message_idx;
      ALTER TABLE sms_outbox DROP COLUMN send_mode, DROP COLUMN delivery_updated_at, DROP COLUMN delivery_error_code, DROP COLUMN delivery_status;
    `);
  }
}
