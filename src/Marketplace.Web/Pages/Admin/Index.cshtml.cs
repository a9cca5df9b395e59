using Marketplace.Web.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Admin;

public class IndexModel(MarketplaceDbContext db) : PageModel
{
    public int Organizations { get; private set; }

    public int Contributors { get; private set; }

    public int Jobs { get; private set; }

    public int Items { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Organizations = await db.Organizations.CountAsync(ct);
        Contributors = await db.ContributorProfiles.CountAsync(ct);
        Jobs = await db.Jobs.CountAsync(ct);
        Items = await db.Items.CountAsync(ct);
    }
}
