using Marketplace.Web.Contributors;
using Marketplace.Web.Data;
using Marketplace.Web.Identity;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Work;

public class IndexModel(MarketplaceDbContext db) : PageModel
{
    public ContributorProfile? Profile { get; private set; }

    public string DisplayName { get; private set; } = "";

    public int ActiveJobs { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var userId = AccountApi.UserId(User);
        Profile = await db.ContributorProfiles.Include(p => p.User).AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        DisplayName = Profile?.User?.DisplayName ?? User.Identity?.Name ?? "";
        ActiveJobs = await db.Jobs.CountAsync(j => j.Status == JobStatus.Active, ct);
    }
}
