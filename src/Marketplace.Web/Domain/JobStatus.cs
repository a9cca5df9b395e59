namespace Marketplace.Web.Domain;

public enum JobStatus
{
    Draft,
    Funded,
    Active,
    Paused,
    Completed,
    Cancelled,
}

/// <summary>
/// Every way a job's status may change: a named move, the states it may start from and the one it leads to. There is
/// no other way: <see cref="Job.Status"/> has no public setter and this class no public constructor, so a move such as
/// Draft to Completed cannot even be written. A page, the API and a background job all name one of these.
/// </summary>
public sealed class JobTransition
{
    /// <summary>Money reached the job's escrow: a verified payment, or the dry-run gateway's credit.</summary>
    public static readonly JobTransition Fund = new("fund", JobStatus.Funded, JobStatus.Draft);

    /// <summary>The buyer opens a funded job to contributors (it must have items).</summary>
    public static readonly JobTransition Launch = new("launch", JobStatus.Active, JobStatus.Funded);

    /// <summary>The buyer stops handing out work, or escrow can no longer pay for the next label.</summary>
    public static readonly JobTransition Pause = new("pause", JobStatus.Paused, JobStatus.Active);

    public static readonly JobTransition Resume = new("resume", JobStatus.Active, JobStatus.Paused);

    /// <summary>The buyer closes it, every item is finalized, or its deadline passed.</summary>
    public static readonly JobTransition Complete = new("complete", JobStatus.Completed, JobStatus.Active, JobStatus.Paused);

    public static readonly JobTransition Cancel = new("cancel", JobStatus.Cancelled, JobStatus.Draft, JobStatus.Funded, JobStatus.Active, JobStatus.Paused);

    public static IReadOnlyList<JobTransition> All { get; } = [Fund, Launch, Pause, Resume, Complete, Cancel];

    private readonly JobStatus[] _from;

    private JobTransition(string name, JobStatus to, params JobStatus[] from) => (Name, To, _from) = (name, to, from);

    /// <summary>The verb, as the API's route and the job page's button say it.</summary>
    public string Name { get; }

    public JobStatus To { get; }

    public IReadOnlyList<JobStatus> From => _from;

    /// <summary>The move with this name (<c>launch</c>, <c>pause</c>, ...), or null.</summary>
    public static JobTransition? Named(string? name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public bool StartsFrom(JobStatus status) => _from.Contains(status);

    /// <summary>The shortest way from Draft to <paramref name="status"/> (demo data and tests use it to set a job up as the app would).</summary>
    public static IReadOnlyList<JobTransition> PathFromDraft(JobStatus status) => status switch
    {
        JobStatus.Draft => [],
        JobStatus.Funded => [Fund],
        JobStatus.Active => [Fund, Launch],
        JobStatus.Paused => [Fund, Launch, Pause],
        JobStatus.Completed => [Fund, Launch, Complete],
        JobStatus.Cancelled => [Cancel],
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a job status."),
    };

    /// <summary>Why a job in <paramref name="status"/> may not make this move.</summary>
    public string RefusalFrom(JobStatus status)
    {
        var states = string.Join(" or ", _from.Select(s => s.ToString().ToLowerInvariant()));
        var article = "aeiou".Contains(states[0], StringComparison.Ordinal) ? "an" : "a";
        var closed = status is JobStatus.Completed or JobStatus.Cancelled ? "; it is closed" : "";
        return $"Only {article} {states} job can {Name}: a {status} job cannot become {To}{closed}.";
    }

    public override string ToString() => Name;
}
