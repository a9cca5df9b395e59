namespace Marketplace.Payouts;

/// <summary>A verified Stripe event, stored once by its id (the dedup) and processed later by id.</summary>
public sealed class StripeEventRecord
{
    internal StripeEventRecord(string eventId, string type, DateTime createdAt, DateTime receivedAt, string payload)
    {
        EventId = eventId;
        Type = type;
        CreatedAt = createdAt;
        ReceivedAt = receivedAt;
        Payload = payload;
    }

    public string EventId { get; }

    public string Type { get; }

    /// <summary>When Stripe created the event (UTC): orders events that arrive out of order.</summary>
    public DateTime CreatedAt { get; }

    public DateTime ReceivedAt { get; }

    public string Payload { get; }

    public DateTime? ProcessedAt { get; private set; }

    /// <summary>What processing did, in words for the admin page ("escrow funded", "ignored: unknown transfer").</summary>
    public string? Outcome { get; private set; }

    internal void MarkProcessed(DateTime at, string outcome)
    {
        ProcessedAt = at;
        Outcome = outcome.Length > 500 ? outcome[..500] : outcome;
    }
}
