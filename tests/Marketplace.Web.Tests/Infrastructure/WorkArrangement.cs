using System.Security.Claims;
using Marketplace.Testing;
using Marketplace.Web.Domain;
using Marketplace.Web.Tasks;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>The shared <see cref="MarketArrangement"/> on a test's app: jobs, contributors and labels arranged through the app's own use cases.</summary>
public static class WorkArrangement
{
    public static MarketArrangement Arrange(this MarketplaceAppFactory app) => new(app.Services, app.Clock);

    public static Task<Job> ActiveJobAsync(
        this MarketplaceAppFactory app,
        int items,
        int gold = 0,
        TaskType type = TaskType.SingleChoice,
        string[]? labels = null,
        int redundancy = 3,
        double goldRate = 0,
        double? targetConfidence = null,
        string? minimumTier = null,
        JobStatus status = JobStatus.Active,
        Func<int, string>? goldAnswer = null,
        Guid? organizationId = null,
        DateTime? deadline = null,
        Func<int, object>? payload = null) =>
        app.Arrange().JobAsync(new JobSetup
        {
            Items = items,
            Gold = gold,
            Type = type,
            Labels = labels,
            Redundancy = redundancy,
            GoldRate = goldRate,
            TargetConfidence = targetConfidence,
            MinimumTier = minimumTier,
            Status = status,
            GoldAnswer = goldAnswer,
            OrganizationId = organizationId,
            Deadline = deadline,
            Payload = payload,
        });

    /// <summary>A contributor with a profile, qualified for the task types given (with a gold record).</summary>
    public static Task<string> ContributorAsync(this MarketplaceAppFactory app, TaskType[]? qualifiedFor = null, string tier = "New", int goldCorrect = 0, int goldWrong = 0) =>
        app.Arrange().ContributorAsync(qualifiedFor, tier, goldCorrect, goldWrong);

    /// <summary>Gives an existing contributor a profile and passed qualifications.</summary>
    public static Task ProfileAsync(this MarketplaceAppFactory app, string userId, TaskType[] qualifiedFor, string tier = "New", int goldCorrect = 0, int goldWrong = 0) =>
        app.Arrange().ProfileAsync(userId, qualifiedFor, tier, goldCorrect, goldWrong);

    /// <summary>Claims the contributor's next task of the job and answers it, as the API would; returns the item labelled.</summary>
    public static Task<Guid> LabelAsync(this MarketplaceAppFactory app, string contributor, Guid jobId, string answer, TimeSpan? thinking = null) =>
        app.Arrange().LabelAsync(contributor, jobId, answer, thinking is { } pause ? () => app.Clock.Advance(pause) : null);

    public static ClaimsPrincipal Principal(string userId) => MarketArrangement.Principal(userId, Roles.Contributor);

    public static SubmitRequest Answer(string json) => MarketArrangement.Answer(json);
}
