namespace Marketplace.Web.Payments;

/// <summary>The job storage this host's Hangfire configuration made (see <c>PaymentsRegistrations</c>), not whichever host set Hangfire's static last.</summary>
internal sealed class HostJobStorage
{
    public Hangfire.JobStorage? Storage { get; set; }
}
