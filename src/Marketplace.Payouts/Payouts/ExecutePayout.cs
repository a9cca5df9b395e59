using Microsoft.EntityFrameworkCore;

namespace Marketplace.Payouts;

public enum PayoutExecutionStatus
{
    Paid = 1,
    AlreadyPaid = 2,
    Failed = 3,

    /// <summary>The run is paused; the payout is untouched.</summary>
    Paused = 4,

    /// <summary>The payout is failed or returned: an admin retries or returns it.</summary>
    NotExecutable = 5,

    /// <summary>Whether the transfer was made is not known: the payout waits for a lookup (<see cref="SettlePayout"/>), never a re-send.</summary>
    NeedsLookup = 6,
}

public sealed record PayoutExecution(PayoutExecutionStatus Status, Guid PayoutId, PayoutState State, string? Reason = null);

/// <summary>
/// Pays one payout, exactly once. The attempt's idempotency key (derived from the payout id) is saved before the
/// call; a re-run after a crash, a timeout or a lost response sends the same key and gets Stripe's replay, as long as
/// Stripe still remembers the key (<see cref="Payout.KeyWindow"/>): after that the transfer is looked up first.
/// Transient gateway trouble propagates (<see cref="PaymentsGatewayUnavailableException"/>) with the payout still
/// Submitted, so the host's job retries. Any other answer than a transfer is settled by <see cref="SettlePayout"/>:
/// a refusal only fails the payout once a lookup finds no transfer. Run it in its own scope (one Hangfire job per
/// payout): when a save loses a race it clears the change tracker and reads the payout again.
/// </summary>
public sealed class ExecutePayout(IPayoutsDb db, Ledger ledger, IPaymentsGateway gateway, SettlePayout settle, TimeProvider clock, IPayoutsObserver observer)
{
    public async Task<PayoutExecution> ExecuteAsync(Guid payoutId, CancellationToken ct = default)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            try
            {
                return await StepAsync(payoutId, ct);
            }
            catch (DbUpdateException) when (conflicts < 3)
            {
                // Another node (or a webhook) moved this payout or posted its paid transaction first: the version
                // check or the unique cause refused ours. Start over from what it saved.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<PayoutExecution> StepAsync(Guid payoutId, CancellationToken ct)
    {
        var payout = await db.Payouts.SingleOrDefaultAsync(p => p.Id == payoutId, ct)
            ?? throw new InvalidOperationException($"Payout {payoutId} does not exist.");
        if (Finished(payout) is { } finished)
        {
            return finished;
        }

        if (await db.PayoutRuns.AsNoTracking().AnyAsync(r => r.Id == payout.RunId && r.Paused, ct))
        {
            return new PayoutExecution(PayoutExecutionStatus.Paused, payout.Id, payout.State);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var keyVerifiedUnused = false;
        if (payout.State == PayoutState.Planned)
        {
            if (await AccountRefusalAsync(payout, ct) is { } reason)
            {
                return await settle.FailAsync(payout, reason, ct);
            }

            payout.Submit(now);
        }
        else if (payout.KeyMayBeForgotten(now))
        {
            // Stripe may have forgotten the key: re-sent, it would make a second transfer. Only a lookup tells.
            var lookup = await settle.LookUpAsync(payout, ct);
            if (!lookup.Answered || lookup.Found is { Count: > 0 })
            {
                return await settle.ApplyAsync(payout, lookup, declined: null, ct);
            }

            keyVerifiedUnused = true;
        }

        payout.MarkSending(now, keyVerifiedUnused);
        // The key (and when it is sent) is durable before any money can move: whatever happens next, a re-run re-sends this key.
        await db.SaveChangesAsync(ct);
        var result = await gateway.CreateTransferAsync(
            new TransferRequest(payout.Amount, payout.DestinationAccountId, payout.Id, payout.ContributorId), payout.IdempotencyKey!, ct);
        if (result.Value is not { } transfer)
        {
            return await settle.AfterRefusalAsync(payout, result, ct);
        }

        await RecordPaidAsync(db, ledger, payout, transfer.Id, result.DryRun, clock.GetUtcNow().UtcDateTime, ct);
        await observer.PayoutChangedAsync(payout, ct);
        await db.SaveChangesAsync(ct);
        return new PayoutExecution(PayoutExecutionStatus.Paid, payout.Id, payout.State);
    }

    private static PayoutExecution? Finished(Payout payout) => payout.State switch
    {
        PayoutState.Paid => new PayoutExecution(PayoutExecutionStatus.AlreadyPaid, payout.Id, payout.State),
        PayoutState.Failed or PayoutState.Returned => new PayoutExecution(PayoutExecutionStatus.NotExecutable, payout.Id, payout.State, payout.FailureReason),
        PayoutState.NeedsLookup => new PayoutExecution(PayoutExecutionStatus.NeedsLookup, payout.Id, payout.State, payout.FailureReason),
        _ => null,
    };

    private async Task<string?> AccountRefusalAsync(Payout payout, CancellationToken ct)
    {
        var account = await db.PayoutAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ContributorId == payout.ContributorId, ct);
        return account switch
        {
            null => "no payout account",
            { OnHold: true } => $"on hold: {account.HoldReason}",
            { PayoutsEnabled: false } => "payouts not enabled on the account",
            _ => null,
        };
    }

    /// <summary>Submitted → Paid, and in-transit → clearing in the ledger. Shared with the transfer webhooks.</summary>
    internal static async Task<bool> RecordPaidAsync(IPayoutsDb db, Ledger ledger, Payout payout, string transferId, bool dryRun, DateTime at, CancellationToken ct)
    {
        if (!payout.MarkPaid(transferId, dryRun, at))
        {
            return false;
        }

        var posting = await ledger.PostAsync(
            LedgerCause.PayoutPaid(payout.Id),
            [LedgerLine.Debit(LedgerAccountId.PayoutsInTransit(payout.ContributorId), payout.Amount), LedgerLine.Credit(LedgerAccountId.PaymentsClearing, payout.Amount)],
            $"Payout {payout.Id} paid by transfer {transferId}",
            ct);
        return posting.Succeeded ? true : throw new LedgerConflictException($"Payout {payout.Id}: in-transit no longer covers it; another node recorded it first.");
    }
}

public enum PayoutResolution
{
    Done = 1,

    /// <summary>The payout was not in a state that allows the move; nothing changed.</summary>
    NotAllowed = 2,
}

/// <summary>What an admin (or a webhook) does with a payout that did not go through.</summary>
public sealed class ResolvePayout(IPayoutsDb db, Ledger ledger, TimeProvider clock, IPayoutsObserver observer)
{
    /// <summary>Failed → Planned with a new attempt (and so a new idempotency key). The host enqueues ExecutePayout again.</summary>
    public async Task<PayoutResolution> RetryAsync(Guid payoutId, CancellationToken ct = default)
    {
        var payout = await db.Payouts.SingleAsync(p => p.Id == payoutId, ct);
        if (!payout.Retry(clock.GetUtcNow().UtcDateTime))
        {
            return PayoutResolution.NotAllowed;
        }

        await observer.PayoutChangedAsync(payout, ct);
        await db.SaveChangesAsync(ct);
        return PayoutResolution.Done;
    }

    /// <summary>Failed → Returned: the money goes back to the contributor's available balance by reversing the plan.</summary>
    public async Task<PayoutResolution> ReturnToAvailableAsync(Guid payoutId, string reason, CancellationToken ct = default)
    {
        var payout = await db.Payouts.SingleAsync(p => p.Id == payoutId, ct);
        if (payout.State != PayoutState.Failed)
        {
            return PayoutResolution.NotAllowed;
        }

        await StageReturnAsync(payout, reason, ct);
        await db.SaveChangesAsync(ct);
        return PayoutResolution.Done;
    }

    /// <summary>Failed or Paid → Returned, with the ledger reversals that put the money back in available. The caller saves.</summary>
    internal async Task<bool> StageReturnAsync(Payout payout, string reason, CancellationToken ct)
    {
        var wasPaid = payout.State == PayoutState.Paid;
        if (!payout.Return(reason, clock.GetUtcNow().UtcDateTime))
        {
            return false;
        }

        if (wasPaid)
        {
            var paid = await ledger.FindAsync(LedgerCause.PayoutPaid(payout.Id), ct)
                ?? throw new InvalidOperationException($"Paid payout {payout.Id} has no paid transaction.");
            await RequireAsync(ledger.ReverseAsync(paid.Id, $"Transfer {payout.TransferId} reversed: {reason}", ct));
        }

        var planned = await ledger.FindAsync(LedgerCause.PayoutPlanned(payout.Id), ct)
            ?? throw new InvalidOperationException($"Payout {payout.Id} has no planned transaction.");
        await RequireAsync(ledger.ReverseAsync(planned.Id, $"Payout {payout.Id} returned to available: {reason}", ct));
        await observer.PayoutChangedAsync(payout, ct);
        return true;
    }

    private static async Task RequireAsync(Task<PostingResult> posting)
    {
        var result = await posting;
        if (!result.Succeeded)
        {
            throw new LedgerConflictException($"Reversal refused ({result.Status} on {result.ShortAccount}): the money moved since it was read.");
        }
    }
}
