using System.Linq;
using LeadTools.Core.Funnel;
using Newtonsoft.Json.Linq;
using static LeadTools.Core.Tests.Funnel.FunnelTestKit;

namespace LeadTools.Core.Tests.Funnel
{
    /// <summary>SPEC 5.3: one test per row of the same-type merge table (lead+lead, contact+contact).</summary>
    public class SameTypeMergeTests
    {
        [Fact]
        public void Row1_AllInactive_SelectedInactiveStatusKept()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Nurture");
            var b = Lead("L2", "Remarket");
            var o = kit.MergeSelecting("Remarket", a, b);
            Assert.Equal("5.3-1", o.Row);
            Assert.Equal("Remarket", o.SurvivingStatus);
            Assert.Empty(o.ResolvedResponses);
        }

        [Fact]
        public void Row2_OneActiveStatusWithResponse_ItsStatusWinsOverASelectedInactiveOne()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Nurture");
            var b = Lead("L2", "Working");
            kit.Member("CM1", b, "701A", "Working", "2026-01-10T00:00:00Z");
            var o = kit.MergeSelecting("Nurture", a, b);
            Assert.Equal("5.3-2", o.Row);
            Assert.Equal("Working", o.SurvivingStatus);
            Assert.Equal("CM1", o.SurvivingResponseId);
        }

        [Fact]
        public void Row3_TwoActiveResponses_OldestWinsOthersResolvedMerged()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Working");
            var b = Lead("L2", "Marketing Qualified");
            kit.Member("CM1", a, "701A", "Working", "2026-02-01T00:00:00Z");
            kit.Member("CM2", b, "701B", "Marketing Qualified", "2026-01-01T00:00:00Z");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-3", o.Row);
            Assert.Equal("Marketing Qualified", o.SurvivingStatus);
            Assert.Equal("CM2", o.SurvivingResponseId);
            var resolved = Assert.Single(o.ResolvedResponses);
            Assert.Equal("CM1", resolved.MemberId);
            Assert.Equal("Resolved - Merged", resolved.NewStatus);
            Assert.Contains("oldest", o.Reason);
        }

        [Fact]
        public void Row4_TwoActiveStatusesOneResponse_TheResponsesStatusWins()
        {
            var kit = new FunnelTestKit(j => j["passive"]!["org"] = true);
            var a = Lead("L1", "Marketing Qualified"); // passive: active status, no response
            var b = Lead("L2", "Attempting Contact");
            kit.Member("CM1", b, "701A", "Attempting Contact", "2026-01-10T00:00:00Z");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-4", o.Row);
            Assert.Equal("Attempting Contact", o.SurvivingStatus);
        }

        [Fact]
        public void Row5and6_ActiveResponsesFromTheSameCampaign_OneMembershipDestroyedSurvivorSetsStatus()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Working");
            var b = Lead("L2", "Attempting Contact");
            kit.Member("CM1", a, "701A", "Working", "2026-03-01T00:00:00Z", created: "2026-03-01T00:00:00Z");
            kit.Member("CM2", b, "701A", "Attempting Contact", "2026-01-01T00:00:00Z", created: "2026-01-01T00:00:00Z");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-5", o.Row);
            var destroyed = Assert.Single(o.DestroyedMemberships);
            Assert.Equal("CM1", destroyed.MemberId);
            Assert.Equal("CM2", destroyed.KeptMemberId); // the older membership survives
            Assert.Equal("Attempting Contact", o.SurvivingStatus);
            Assert.False(destroyed.Archived);
        }

        [Fact]
        public void Row7_ActiveAndInactiveResponseFromTheSameCampaign_SurvivingMembershipDecides()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Working");
            var b = Lead("L2", "Nurture");
            kit.Member("CM1", a, "701A", "Working", "2026-03-01T00:00:00Z", created: "2026-03-01T00:00:00Z");
            kit.Member("CM2", b, "701A", "Responded", "2025-01-01T00:00:00Z", created: "2025-01-01T00:00:00Z");
            var o = kit.MergeSelecting("Nurture", a, b);
            Assert.Equal("5.3-7", o.Row);
            Assert.Equal("CM1", Assert.Single(o.DestroyedMemberships).MemberId);
            Assert.Equal("Nurture", o.SurvivingStatus); // the surviving membership holds no active response
        }

        [Fact]
        public void Row8_ContactsOppActiveAndActiveResponse_AdditionalAllowed_OldestActiveKept()
        {
            var kit = new FunnelTestKit(j => j["additionalResponse"] = "Always");
            var a = Contact("C1", "Active Opportunity");
            var b = Contact("C2", "Working");
            kit.Opportunity("006A").Member("CM1", a, "701A", "Working", "2025-05-01T00:00:00Z", opportunity: "006A");
            kit.Member("CM2", b, "701B", "Working", "2026-01-01T00:00:00Z");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-8", o.Row);
            Assert.Equal("Working", o.SurvivingStatus);
            Assert.Equal("CM2", o.SurvivingResponseId);
            Assert.Empty(o.ResolvedResponses);
        }

        [Fact]
        public void Row8_ResponsePromptCampaignAllowsTheAdditionalResponse()
        {
            var kit = new FunnelTestKit();
            var a = Contact("C1", "Active Opportunity");
            var b = Contact("C2", "Working");
            kit.Opportunity("006A").Campaign("701B", responsePrompt: true).Member("CM1", a, "701A", "Working", "2025-05-01T00:00:00Z", opportunity: "006A");
            kit.Member("CM2", b, "701B", "Working", "2026-01-01T00:00:00Z");
            Assert.Equal("5.3-8", kit.Merge(a, b).Row);
        }

        [Fact]
        public void Row9_ContactsOppActiveAndActiveResponse_AdditionalNotAllowed_ResolvedAndConvertedStatus()
        {
            var kit = new FunnelTestKit();
            var a = Contact("C1", "Active Opportunity");
            var b = Contact("C2", "Working");
            kit.Opportunity("006A").Campaign("701B", responsePrompt: false).Member("CM1", a, "701A", "Working", "2025-05-01T00:00:00Z", opportunity: "006A");
            kit.Member("CM2", b, "701B", "Working", "2026-01-01T00:00:00Z");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-9", o.Row);
            Assert.Equal("Active Opportunity", o.SurvivingStatus);
            Assert.Equal("CM2", Assert.Single(o.ResolvedResponses).MemberId);
        }

        [Fact]
        public void Row10_ContactsOppActiveInactiveStatuses_ConvertedWithOpportunityStatus()
        {
            var kit = new FunnelTestKit();
            var a = Contact("C1", "Nurture");
            var b = Contact("C2", "Remarket");
            kit.Opportunity("006A").Member("CM1", b, "701A", "Working", "2025-05-01T00:00:00Z", opportunity: "006A");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-10", o.Row);
            Assert.Equal("Active Opportunity", o.SurvivingStatus);
        }

        [Fact]
        public void Row11_ContactsOppActiveAndActiveStatusWithoutResponse_ConvertedWithOpportunityStatus()
        {
            var kit = new FunnelTestKit(j => j["passive"]!["org"] = true);
            var a = Contact("C1", "Working");
            var b = Contact("C2", "Nurture");
            kit.Opportunity("006A").Member("CM1", b, "701A", "Working", "2025-05-01T00:00:00Z", opportunity: "006A");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-11", o.Row);
            Assert.Equal("Active Opportunity", o.SurvivingStatus);
        }

        [Fact]
        public void RowNR_NonResponseSurvivor_SelectedStatusKeptActiveResponsesResolvedNonResponse()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Nurture", NonResponseType);
            var b = Lead("L2", "Working");
            kit.Member("CM1", b, "701A", "Working", "2026-01-01T00:00:00Z");
            var o = kit.MergeSelecting("Nurture", a, b);
            Assert.Equal("5.3-NR", o.Row);
            Assert.Equal("Nurture", o.SurvivingStatus);
            var r = Assert.Single(o.ResolvedResponses);
            Assert.Equal("Resolved - Non-Response RT", r.NewStatus);
        }

        [Fact]
        public void RowNR_NonResponseTypesTogether_NothingTouched()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Working", NonResponseType);
            var b = Lead("L2", "Nurture", NonResponseType);
            kit.Member("CM1", b, "701A", "Working", "2026-01-01T00:00:00Z");
            var o = kit.MergeSelecting("Nurture", a, b);
            Assert.Equal("5.3-NR", o.Row);
            Assert.Equal("Nurture", o.SurvivingStatus);
            Assert.Empty(o.ResolvedResponses);
        }

        // ---------------------------------------------------------------- beyond the table

        [Fact]
        public void ThreeRecords_OldestOfThreeActiveResponsesWins()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Working");
            var b = Lead("L2", "Attempting Contact");
            var c = Lead("L3", "Marketing Qualified");
            kit.Member("CM1", a, "701A", "Working", "2026-02-01T00:00:00Z");
            kit.Member("CM2", b, "701B", "Attempting Contact", "2025-12-01T00:00:00Z");
            kit.Member("CM3", c, "701C", "Marketing Qualified", "2026-01-01T00:00:00Z");
            var o = kit.Merge(a, b, c);
            Assert.Equal("5.3-3", o.Row);
            Assert.Equal("CM2", o.SurvivingResponseId);
            Assert.Equal(new[] { "CM3", "CM1" }, o.ResolvedResponses.Select(r => r.MemberId).OrderByDescending(x => x).ToArray());
        }

        [Fact]
        public void TiesOnResponseDate_CreatedDateThenIdDecide()
        {
            var kit = new FunnelTestKit();
            var a = Lead("L1", "Working");
            var b = Lead("L2", "Attempting Contact");
            kit.Member("CM9", a, "701A", "Working", "2026-01-01T00:00:00Z", created: "2025-01-01T00:00:00Z");
            kit.Member("CM1", b, "701B", "Attempting Contact", "2026-01-01T00:00:00Z", created: "2025-01-01T00:00:00Z");
            var o = kit.Merge(a, b);
            Assert.Equal("CM1", o.SurvivingResponseId); // same date, same creation: the smaller id, every time
            Assert.Equal(o.SurvivingResponseId, kit.Merge(b, a).SurvivingResponseId);
        }

        [Fact]
        public void SurvivingResponseNewestIsConfigurable()
        {
            var kit = new FunnelTestKit(j => j["survivingResponse"] = "Newest");
            var a = Lead("L1", "Working");
            var b = Lead("L2", "Marketing Qualified");
            kit.Member("CM1", a, "701A", "Working", "2026-02-01T00:00:00Z");
            kit.Member("CM2", b, "701B", "Marketing Qualified", "2026-01-01T00:00:00Z");
            Assert.Equal("CM1", kit.Merge(a, b).SurvivingResponseId);
        }

        [Fact]
        public void MixedPassiveAndActive_ActiveResponseStillDecides()
        {
            var kit = new FunnelTestKit(j => j["passive"]!["recordTypes"] = new JArray("012PASSIVE"));
            var a = Lead("L1", "Marketing Qualified", "012PASSIVE");
            var b = Lead("L2", "Working");
            kit.Member("CM1", b, "701A", "Working", "2026-01-01T00:00:00Z");
            var o = kit.Merge(a, b);
            Assert.Equal("5.3-4", o.Row);
            Assert.Equal("Working", o.SurvivingStatus);
        }

        [Fact]
        public void OpportunityLinkedMembershipIsArchivedAndReinsertedInTheSystemCampaign()
        {
            var kit = new FunnelTestKit(j => j["membershipSurvivor"] = "Oldest");
            var a = Contact("C1", "Nurture");
            var b = Contact("C2", "Remarket");
            kit.Opportunity("006A", closed: true);
            kit.Member("CM1", a, "701A", "Responded", created: "2025-01-01T00:00:00Z");
            kit.Member("CM2", b, "701A", "Working", created: "2026-01-01T00:00:00Z", opportunity: "006A");
            var o = kit.Merge(a, b);
            var d = Assert.Single(o.DestroyedMemberships);
            Assert.True(d.Archived);
            Assert.Equal("701SYSTEM", d.ReinsertedCampaignId);
            Assert.Contains("archived into the opportunity", d.Reason);
        }

        [Fact]
        public void MixedTypesAreRefused()
        {
            var kit = new FunnelTestKit();
            Assert.Throws<System.ArgumentException>(() => kit.Merge(Lead("L1", "Working"), Contact("C1", "Working")));
            Assert.Throws<System.ArgumentException>(() => kit.Merge(Contact("C1", "Working"), Contact("C2", "Working"), Lead("L1", "Working")));
        }
    }
}
