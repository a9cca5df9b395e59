namespace Marketplace.Web.Domain;

/// <summary>
/// What a buyer watches: items finalized, labels collected, spend against the budget, the estimated accuracy
/// of the finalized answers and when the job should be done at the current pace.
/// </summary>
public sealed record JobProgress(
    int Items,
    int FinalizedItems,
    int Labels,
    long SpentMinor,
    long BudgetMinor,
    double? EstimatedAccuracy,
    double LabelsPerHour,
    int LabelsStillNeeded,
    DateTime? EstimatedCompletion,
    double? CostPerCorrectAnswerMinor);
