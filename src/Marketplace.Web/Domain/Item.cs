namespace Marketplace.Web.Domain;

public class Item
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>The buyer's own id for the item; unique within a job so re-uploads never double it.</summary>
    public required string ExternalId { get; set; }

    public required string Payload { get; set; }

    public bool IsGold { get; set; }

    public string? GoldAnswer { get; set; }

    /// <summary>For gold boxes and spans: the overlap (IoU or span overlap) an answer needs to count as correct.</summary>
    public double? GoldTolerance { get; set; }

    /// <summary>Labels leased or submitted: the slots taken. Never more than the job's redundancy.</summary>
    public int LabelsHeld { get; set; }

    /// <summary>Labels submitted.</summary>
    public int LabelsSubmitted { get; set; }

    public string? ConsensusAnswer { get; set; }

    public double? Confidence { get; set; }

    public DateTime? FinalizedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
