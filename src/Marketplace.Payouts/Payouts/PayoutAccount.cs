namespace Marketplace.Payouts;

/// <summary>A contributor's connected (Stripe Express) account and whether a payout run may pay them.</summary>
public sealed class PayoutAccount
{
    internal PayoutAccount(string contributorId, string gatewayAccountId, DateTime createdAt)
    {
        ContributorId = contributorId;
        GatewayAccountId = gatewayAccountId;
        CreatedAt = createdAt;
    }

    public string ContributorId { get; }

    public string GatewayAccountId { get; }

    public DateTime CreatedAt { get; }

    public bool PayoutsEnabled { get; private set; }

    public bool DetailsSubmitted { get; private set; }

    /// <summary>A fraud hold: payout runs skip the contributor until an admin lifts it.</summary>
    public bool OnHold { get; private set; }

    public string? HoldReason { get; private set; }

    /// <summary>The creation time of the newest account.updated applied; older events arriving late are ignored.</summary>
    public DateTime? StatusAsOf { get; private set; }

    /// <summary>
    /// Applies a status: from an account.updated event stamped <paramref name="asOf"/>, or with <c>null</c> from our
    /// own call to Stripe. Only event times are compared: Stripe stamps them in whole seconds on its clock, so our
    /// own reading of the time (say, when the account was created) would make an event of the same second look
    /// older than it is and drop it.
    /// </summary>
    internal bool ApplyStatus(bool payoutsEnabled, bool detailsSubmitted, DateTime? asOf)
    {
        if (StatusAsOf is { } current && asOf is { } at && at < current)
        {
            return false;
        }

        PayoutsEnabled = payoutsEnabled;
        DetailsSubmitted = detailsSubmitted;
        StatusAsOf = asOf ?? StatusAsOf;
        return true;
    }

    internal void SetHold(bool onHold, string? reason)
    {
        OnHold = onHold;
        HoldReason = onHold ? reason : null;
    }
}
