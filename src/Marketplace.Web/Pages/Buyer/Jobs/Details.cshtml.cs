using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Buyer.Jobs;

// Uploads of up to 1 GiB: larger files are refused before they are read.
[RequestSizeLimit(MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
public class DetailsModel(JobService jobs, ItemImport import) : PageModel
{
    private const long MaxUpload = 1L * 1024 * 1024 * 1024;

    public JobDetails? Job { get; private set; }

    public string? Message { get; private set; }

    public IReadOnlyList<ImportError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostImportAsync(Guid id, IFormFile? file, bool gold, CancellationToken ct)
    {
        var job = await jobs.FindVisibleAsync(User, id, ct);
        if (job is null)
        {
            return NotFound();
        }

        var format = ItemImport.FormatOf(file?.ContentType, file?.FileName);
        if (file is null || file.Length == 0)
        {
            Errors = [new ImportError(0, "file", "choose a file to upload.")];
        }
        else if (format is null)
        {
            Errors = [new ImportError(0, "file", "must be .csv or .jsonl.")];
        }
        else if (job.IsClosed)
        {
            Message = $"A {job.Status} job takes no more items.";
        }
        else
        {
            await using var stream = file.OpenReadStream();
            var outcome = await import.ImportAsync(job, stream, format.Value, gold, ct);
            Errors = outcome.Errors;
            Message = outcome.Succeeded ? $"Imported {outcome.Imported:N0} {(gold ? "gold items" : "items")}." : null;
        }

        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostActAsync(Guid id, string action, CancellationToken ct)
    {
        JobStatus? next = action switch
        {
            "launch" or "resume" => JobStatus.Active,
            "pause" => JobStatus.Paused,
            "complete" => JobStatus.Completed,
            "cancel" => JobStatus.Cancelled,
            _ => null,
        };
        if (next is null)
        {
            return BadRequest();
        }

        var result = (await jobs.TransitionAsync(User, id, next.Value, ct)).Result;
        if (result is NotFound)
        {
            return NotFound();
        }

        Message = result is Conflict<ProblemDetails> conflict ? conflict.Value!.Detail : $"The job is now {next}.";
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var job = await jobs.FindVisibleAsync(User, id, ct);
        Job = job is null ? null : await jobs.DetailsAsync(job, ct);
        return Job is not null;
    }
}
