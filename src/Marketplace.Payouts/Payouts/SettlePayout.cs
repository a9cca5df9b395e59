using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Payouts;

/// <summary>
/// Settles a payout whose outcome at the processor is not certain by looking its transfer up there, never by
/// sending again: a matching transfer makes it Paid; no transfer, on an answered lookup made long enough after the
/// last send (<see cref="PayoutsOptions.LookupGrace"/>), makes it Failed, and only then may its money go back to a
/// balance; anything else leaves it <see cref="PayoutState.NeedsLookup"/>, out of every run, for the next lookup
/// (the host's hourly job, or an admin). Transient trouble at the processor propagates, changing nothing.
/// </summary>
public sealed partial class SettlePayout(
    IPayoutsDb db, Ledger ledger, IPaymentsGateway gateway, TimeProvider clock, IPayoutsObserver observer, IOptions<PayoutsOptions> options, ILogger<SettlePayout> logger)
{
    /// <summary>Looks up a payout that needs it (the host's job and the admin's button come here).</summary>
    public async Task<PayoutExecution> ExecuteAsync(Guid payoutId, CancellationToken ct = default)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            try
            {
                var payout = await db.Payouts.SingleOrDefaultAsync(p => p.Id == payoutId, ct)
                    ?? throw new InvalidOperationException($"Payout {payoutId} does not exist.");
                return payout.State switch
                {
                    PayoutState.NeedsLookup => await ApplyAsync(payout, await LookUpAsync(payout, ct), declined: null, ct),
                    PayoutState.Paid => new PayoutExecution(PayoutExecutionStatus.AlreadyPaid, payout.Id, payout.State),
                    _ => new PayoutExecution(PayoutExecutionStatus.NotExecutable, payout.Id, payout.State, payout.FailureReason),
                };
            }
            catch (DbUpdateException) when (conflicts < 3)
            {
                db.ChangeTracker.Clear(); // a webhook or another node settled it meanwhile: read what it saved
            }
        }
    }

    /// <summary>The processor answered a transfer with anything but the transfer: a refusal, or an answer that says nothing certain.</summary>
    internal async Task<PayoutExecution> AfterRefusalAsync(Payout payout, GatewayResult<GatewayTransfer> result, CancellationToken ct)
    {
        var said = $"{result.DeclineCode}: {result.DeclineMessage}";
        if (result.Ambiguous)
        {
            // Saved before the lookup: a crash from here on leaves a payout that is looked up, never sent again.
            await MarkAsync(payout, $"Stripe's answer said nothing certain ({said}); the transfer must be looked up", ct);
        }

        // Even a plain refusal may follow an earlier send of the key whose answer was lost: the lookup decides.
        return await ApplyAsync(payout, await LookUpAsync(payout, ct), result.Ambiguous ? null : said, ct, cause: said);
    }

    internal Task<GatewayLookup<IReadOnlyList<GatewayTransfer>>> LookUpAsync(Payout payout, CancellationToken ct) =>
        gateway.FindPayoutTransfersAsync(new PayoutTransferQuery(payout.Id, payout.DestinationAccountId, payout.CreatedAt), ct);

    /// <summary>
    /// What a lookup proves. <paramref name="declined"/>: the processor's definitive refusal of the last send, if any;
    /// <paramref name="cause"/>: what the processor said, kept in the reason while the payout waits.
    /// </summary>
    internal async Task<PayoutExecution> ApplyAsync(Payout payout, GatewayLookup<IReadOnlyList<GatewayTransfer>> lookup, string? declined, CancellationToken ct, string? cause = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var transfers = lookup.Found ?? [];
        if (transfers.FirstOrDefault(t => t.Amount == payout.Amount && t.DestinationAccountId == payout.DestinationAccountId) is { } transfer)
        {
            await ExecutePayout.RecordPaidAsync(db, ledger, payout, transfer.Id, false, now, ct);
            await observer.PayoutChangedAsync(payout, ct);
            await db.SaveChangesAsync(ct);
            return new PayoutExecution(PayoutExecutionStatus.Paid, payout.Id, payout.State);
        }

        var unsettled = !lookup.Answered ? $"the lookup at Stripe failed ({lookup.Problem})"
            : transfers.Count > 0 ? $"Stripe holds {string.Join(", ", transfers.Select(t => $"{t.Id} ({t.Amount} to {t.DestinationAccountId})"))} for this payout of {payout.Amount}: a person must decide"
            : declined is null && now - (payout.LastSentAt ?? payout.UpdatedAt) < options.Value.LookupGrace ? "Stripe has no transfer for it yet; it is looked up again after a while"
            : null;
        if (unsettled is not null)
        {
            LogUnsettled(logger, payout.Id, unsettled);
            await MarkAsync(payout, cause is null ? unsettled : $"{unsettled} (Stripe answered {cause})", ct);
            return new PayoutExecution(PayoutExecutionStatus.NeedsLookup, payout.Id, payout.State, payout.FailureReason);
        }

        return await FailAsync(payout, declined ?? "Stripe has no transfer for this payout (looked up after its last send)", ct);
    }

    internal async Task<PayoutExecution> FailAsync(Payout payout, string reason, CancellationToken ct)
    {
        payout.MarkFailed(reason, clock.GetUtcNow().UtcDateTime);
        await observer.PayoutChangedAsync(payout, ct);
        await db.SaveChangesAsync(ct);
        return new PayoutExecution(PayoutExecutionStatus.Failed, payout.Id, payout.State, payout.FailureReason);
    }

    private async Task MarkAsync(Payout payout, string reason, CancellationToken ct)
    {
        payout.MarkNeedsLookup(reason, clock.GetUtcNow().UtcDateTime);
        await observer.PayoutChangedAsync(payout, ct);
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payout {PayoutId} needs a lookup at Stripe: {Reason}")]
    private static partial void LogUnsettled(ILogger logger, Guid payoutId, string reason);
}
