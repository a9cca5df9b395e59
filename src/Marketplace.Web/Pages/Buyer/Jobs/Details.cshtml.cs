using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Buyer.Jobs;

// Uploads are limited to Jobs:MaxImportBytes (a convention in JobsRegistrations sets this page's request and form limits).
public class DetailsModel(
    JobAccess access,
    JobQueries queries,
    EditJob edit,
    ChangeJobStatus change,
    ItemImport import,
    Marketplace.Payouts.EscrowQueries escrow,
    Marketplace.Payouts.IPaymentsGateway gateway,
    Microsoft.Extensions.Options.IOptions<Marketplace.Payouts.StripeOptions> stripe) : PageModel
{
    public JobDetails? Job { get; private set; }

    public string? Message { get; private set; }

    public IReadOnlyList<ContributorOnJob> Contributors { get; private set; } = [];

    public long EscrowMinor { get; private set; }

    public bool DryRun => gateway.IsDryRun;

    /// <summary>
    /// The key Stripe.js needs for the Payment Element: set only when payments are real and a publishable key is
    /// configured. Without it (but with a secret key) the page starts the payment on the server and says so.
    /// </summary>
    public string? PublishableKey => !gateway.IsDryRun && stripe.Value.PublishableKey is { Length: > 0 } key ? key : null;

    public IReadOnlyList<ImportError> Errors { get; private set; } = [];

    public string ErrorsTitle { get; private set; } = "Nothing was imported. The first problems:";

    public async Task<IActionResult> OnGetAsync(Guid id, int? imported, bool gold, [FromQuery(Name = "redirect_status")] string? paymentStatus, CancellationToken ct)
    {
        // The live upload (import.js) lands here when it is done; so does Stripe, after the Payment Element's
        // confirmation, with the outcome in redirect_status.
        Message = imported is { } count ? ImportedMessage(count, gold) : PaymentMessage(paymentStatus);
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostImportAsync(Guid id, IFormFile? file, bool gold, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(User, id, ct);
        if (job is null)
        {
            return NotFound();
        }

        (Message, Errors, _) = await ImportFileAsync(job, file, gold, null, ct);
        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>
    /// The same import, answered as it goes: one JSON line per batch (<c>{"imported":N}</c>) while rows are
    /// checked and stored, then a last line with the outcome. The page shows the count rising on long files.
    /// </summary>
    public async Task<IActionResult> OnPostImportLiveAsync(Guid id, IFormFile? file, bool gold, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(User, id, ct);
        if (job is null)
        {
            return NotFound();
        }

        Response.ContentType = "application/x-ndjson; charset=utf-8";
        Response.Headers.CacheControl = "no-store";
        var (message, errors, imported) = await ImportFileAsync(job, file, gold, async count =>
        {
            await Response.WriteAsync(JsonSerializer.Serialize(new { imported = count }) + "\n", ct);
            await Response.Body.FlushAsync(ct);
        }, ct);
        await Response.WriteAsync(JsonSerializer.Serialize(new { done = true, imported, message, errors }, JsonSerializerOptions.Web) + "\n", ct);
        return new EmptyResult();
    }

    private async Task<(string? Message, IReadOnlyList<ImportError> Errors, int Imported)> ImportFileAsync(Job job, IFormFile? file, bool gold, Func<int, Task>? progress, CancellationToken ct)
    {
        var format = ItemImport.FormatOf(file?.ContentType, file?.FileName);
        if (file is null || file.Length == 0)
        {
            return (null, [new ImportError(0, "file", "choose a file to upload.")], 0);
        }

        if (format is null)
        {
            return (null, [new ImportError(0, "file", "must be .csv or .jsonl.")], 0);
        }

        if (job.IsClosed)
        {
            return ($"A {job.Status} job takes no more items.", [], 0);
        }

        await using var stream = file.OpenReadStream();
        var outcome = await import.ImportAsync(job, stream, format.Value, gold, ct, progress);
        return (outcome.Succeeded ? ImportedMessage(outcome.Imported, gold) : null, outcome.Errors, outcome.Imported);
    }

    private static string ImportedMessage(int count, bool gold) => $"Imported {count:N0} {(gold ? "gold items" : "items")}.";

    public async Task<IActionResult> OnPostEditAsync(Guid id, long? payPerLabelMinor, int? redundancy, double? targetConfidence, long? budgetMinor, CancellationToken ct)
    {
        var outcome = await edit.ExecuteAsync(User, id, new UpdateJobRequest(null, null, payPerLabelMinor, redundancy, targetConfidence, null, budgetMinor), ct);
        switch (outcome.Failure)
        {
            case { Kind: FailureKind.NotFound }:
                return NotFound();
            case { Errors: { } errors }:
                Errors = [.. errors.SelectMany(e => e.Value.Select(m => new ImportError(0, e.Key, m)))];
                ErrorsTitle = "Nothing was changed:";
                break;
            case { } conflict:
                Message = conflict.Detail;
                break;
            default:
                Message = "Saved.";
                break;
        }

        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>
    /// Funds the rest of the price. In dry run (no Stripe key) escrow is credited at once and the page says so
    /// plainly; with Stripe, the card payment completes through Stripe's own page element (not yet on this page:
    /// the payment intent's client secret comes from POST /api/jobs/{id}/fund).
    /// </summary>
    public async Task<IActionResult> OnPostFundAsync(Guid id, [FromServices] FundJob fund, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(User, id, ct);
        if (job is null)
        {
            return NotFound();
        }

        var outcome = await fund.ExecuteAsync(job, null, ct);
        Message = outcome switch
        {
            { Failure: { Kind: FailureKind.Invalid } } => "Escrow already covers the price.",
            { Failure: { Kind: FailureKind.PaymentRequired } declined } => $"Payment not started: {declined.Detail}",
            { Failure: { } failure } => failure.Detail,
            { Value: { Intent.DryRun: true } dryRun } => $"DRY RUN: escrow credited with {dryRun.Amount}. No card was charged: no Stripe key is configured.",
            { Value: var started } => $"Payment {started!.Intent.PaymentIntentId} started; the job is funded when Stripe confirms it.",
        };
        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostActAsync(Guid id, string action, CancellationToken ct)
    {
        // The same named moves as the API's, through the same use case: resume only from Paused, launch only from Funded.
        if (JobTransition.Named(action) is not { } transition || transition == JobTransition.Fund)
        {
            return BadRequest();
        }

        var outcome = await change.ExecuteAsync(User, id, transition, ct);
        if (outcome.Failure is { Kind: FailureKind.NotFound })
        {
            return NotFound();
        }

        Message = outcome.Failure?.Detail ?? $"The job is now {transition.To}.";
        await LoadAsync(id, ct);
        return Page();
    }

    private static string? PaymentMessage(string? redirectStatus) => redirectStatus switch
    {
        null => null,
        "succeeded" or "processing" => "Payment received by Stripe: escrow is credited when Stripe confirms it to this server, usually within seconds. Reload to see it.",
        _ => "The payment did not go through; nothing was charged. Try again or use another payment method.",
    };

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var job = await access.FindVisibleAsync(User, id, ct);
        Job = job is null ? null : await queries.DetailsAsync(job, ct);
        Contributors = job is null ? [] : await queries.ContributorsAsync(job.Id, ct);
        EscrowMinor = job is null ? 0 : (await escrow.BalanceAsync(job.Id, job.Currency, ct)).MinorUnits;
        return Job is not null;
    }
}
