using Marketplace.Web.Domain;
using Marketplace.Web.Quality;

namespace Marketplace.Web.Tasks;

/// <summary>Who may work on which job, and in which order "any job" offers them: the rules the claim and the feed share.</summary>
public static class Eligibility
{
    /// <summary>Why this contributor may not work on this job now, or null when they may.</summary>
    public static string? Refusal(ContributorProfile? profile, Qualification? qualification, Job job, TierSet tiers)
    {
        if (ProfileRefusal(profile) is { } refused)
        {
            return refused;
        }

        if (qualification?.Status != QualificationStatus.Passed)
        {
            return $"Pass the {job.TaskType} qualification test first.";
        }

        if (tiers.Refusal(profile!.Tier, job) is { } locked)
        {
            return locked;
        }

        var skills = Split(profile.Skills);
        var missing = job.RequiredSkills.Where(s => !skills.Contains(s)).ToList();
        if (missing.Count > 0)
        {
            return $"This job needs the skills: {string.Join(", ", missing)}.";
        }

        if (job.Languages.Count > 0 && !job.Languages.Any(Split(profile.Languages).Contains))
        {
            return $"This job needs one of the languages: {string.Join(", ", job.Languages)}.";
        }

        return null;
    }

    /// <summary>Why this contributor may take no task at all now (no profile, suspended), or null.</summary>
    public static string? ProfileRefusal(ContributorProfile? profile) => profile switch
    {
        null => "Complete your contributor profile first.",
        { SuspendedAt: not null } => "Your account is suspended; you cannot take new tasks.",
        _ => null,
    };

    /// <summary>
    /// The routing rule for "any job": jobs whose deadline falls within 48 hours first (soonest first), then
    /// higher pay, then older jobs, so urgent work is done first and otherwise the best-paid work.
    /// Within a job, the claim query serves the items closest to finalization.
    /// </summary>
    public static IEnumerable<Job> Rank(IEnumerable<Job> jobs, DateTime now) =>
        jobs.OrderBy(j => j.Deadline is { } d && d - now < TimeSpan.FromHours(48) ? 0 : 1)
            .ThenBy(j => j.Deadline is { } d && d - now < TimeSpan.FromHours(48) ? d : DateTime.MaxValue)
            .ThenByDescending(j => j.PayPerLabelMinor)
            .ThenBy(j => j.CreatedAt)
            .ThenBy(j => j.Id);

    private static HashSet<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
