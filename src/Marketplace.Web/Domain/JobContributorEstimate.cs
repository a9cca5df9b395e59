namespace Marketplace.Web.Domain;

/// <summary>
/// What the job's aggregation learned about one contributor on it: their estimated accuracy and, for the
/// Dawid-Skene methods, their confusion matrix. Rewritten by each re-aggregation; buyers and admins read it.
/// </summary>
public class JobContributorEstimate
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    public required string ContributorId { get; set; }

    public required string Method { get; set; }

    /// <summary>Probability that this contributor's answer on this job is right (class-prior weighted).</summary>
    public double Accuracy { get; set; }

    /// <summary>JSON <c>{"classes":[...],"matrix":[...]}</c>: row-major K×K, row = true class, column = given answer; null without one.</summary>
    public string? Confusion { get; set; }

    public int Labels { get; set; }

    public DateTime UpdatedAt { get; set; }
}
