const MAX_DELIVERY_ID_LENGTH = 512;

/**
 * The id retries of one delivery share: PagerDuty repeats X-Webhook-Id on every attempt. Without the header
 * (a proxy may strip it) the event id stands in, which is equally stable across retries.
 */
export function pickDeliveryId(webhookIdHeader: string | string[] | undefined, eventId: string): string {
  const header = Array.isArray(webhookIdHeader) ? webhookIdHeader[0] : webhookIdHeader;
  const trimmed = header?.trim();
  if (trimmed && trimmed.length <= MAX_DELIVERY_ID_LENGTH) return trimmed;
  return eventId;
}
