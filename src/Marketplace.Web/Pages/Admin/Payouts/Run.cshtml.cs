using Marketplace.Payouts;
using Marketplace.Web.Hosting;
using Marketplace.Web.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Payouts;

public class RunModel(PayoutQueries queries, PayoutOversight oversight) : PageModel
{
    public PayoutRunSummary Run { get; private set; } = null!;

    public IReadOnlyList<Payout> Payouts { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.RunAsync(id, ct) is not { } run)
        {
            return NotFound();
        }

        Run = run;
        Payouts = await queries.PayoutsOfRunAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPauseAsync(Guid id, bool paused, CancellationToken ct) =>
        Done(await oversight.SetPausedAsync(User, id, paused, ct), paused ? "Run paused: no payout of it is sent until it resumes." : "Run resumed: its unfinished payouts are queued.", id);

    public async Task<IActionResult> OnPostRetryAsync(Guid id, Guid payoutId, CancellationToken ct) =>
        Done(await oversight.RetryAsync(User, payoutId, ct), "Payout queued again with a new attempt.", id);

    public async Task<IActionResult> OnPostReturnAsync(Guid id, Guid payoutId, string? reason, CancellationToken ct) =>
        Done(await oversight.ReturnAsync(User, payoutId, reason, ct), "Money returned to the contributor's available balance.", id);

    public async Task<IActionResult> OnPostSettleAsync(Guid id, Guid payoutId, CancellationToken ct)
    {
        var outcome = await oversight.SettleAsync(User, payoutId, ct);
        Message = outcome switch
        {
            { Failure: { } failure } => failure.Detail,
            { Value.State: PayoutState.Paid } => "Stripe has the transfer: the payout is recorded as paid.",
            _ => "Stripe has no transfer for it: the payout failed. Retry it, or return its money to the contributor.",
        };
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostClawBackAsync(Guid id, Guid payoutId, Guid clawbackId, long amountMinor, string? reason, Guid? creditJobId, CancellationToken ct)
    {
        var outcome = await oversight.ClawBackAsync(User, new ClawbackPayoutRequest(clawbackId, amountMinor, reason, creditJobId), payoutId, ct);
        Message = outcome switch
        {
            { Failure: { } failure } => $"Nothing taken back: {failure.Detail}",
            { Value.Status: ClawbackStatus.AlreadyDone } => "That clawback was already made.",
            { Value: var result } => $"Took back {result!.Amount} ({result.ClawedBackSoFar} from this payout so far); the contributor sees it with your reason.",
        };
        return RedirectToPage(new { id });
    }

    private IActionResult Done(Failure? failure, string message, Guid id)
    {
        switch (failure)
        {
            case { Kind: FailureKind.NotFound }:
                return NotFound();
            case { Kind: FailureKind.Invalid }:
                Message = failure.Detail;
                break;
            case not null:
                Message = "Not allowed now: it changed state meanwhile. The page shows where it stands.";
                break;
            default:
                Message = message;
                break;
        }

        return RedirectToPage(new { id });
    }
}
