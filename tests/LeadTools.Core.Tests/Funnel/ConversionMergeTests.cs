using System.Linq;
using static LeadTools.Core.Tests.Funnel.FunnelTestKit;

namespace LeadTools.Core.Tests.Funnel
{
    /// <summary>SPEC 5.4: one test per row of the conversion merge table (leads into a contact).</summary>
    public class ConversionMergeTests
    {
        [Fact]
        public void Row1_LeadAndContactActiveResponsesDifferentCampaigns_OldestSurvives()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Working");
            var l = Lead("L1", "Marketing Qualified");
            kit.Member("CM1", c, "701A", "Working", "2026-02-01T00:00:00Z");
            kit.Member("CM2", l, "701B", "Marketing Qualified", "2026-01-01T00:00:00Z");
            var o = kit.Merge(c, l);
            Assert.Equal("Conversion", o.MergeKind);
            Assert.Equal("5.4-1", o.Row);
            Assert.Equal("Marketing Qualified", o.SurvivingStatus);
            Assert.Equal("CM1", Assert.Single(o.ResolvedResponses).MemberId);
        }

        [Fact]
        public void Row2_SameCampaign_OneMembershipDestroyed()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Working");
            var l = Lead("L1", "Working");
            kit.Member("CM1", c, "701A", "Working", "2026-02-01T00:00:00Z", created: "2026-02-01T00:00:00Z");
            kit.Member("CM2", l, "701A", "Working", "2026-01-01T00:00:00Z", created: "2026-01-01T00:00:00Z");
            var o = kit.Merge(c, l);
            Assert.Equal("5.4-2", o.Row);
            Assert.Equal("CM1", Assert.Single(o.DestroyedMemberships).MemberId);
            Assert.Equal("CM2", o.SurvivingResponseId);
            Assert.Equal("Working", o.SurvivingStatus);
        }

        [Fact]
        public void Row3_InactiveLeadsIntoActiveContact_ContactKeepsStatusAndResponse()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Working");
            var l = Lead("L1", "Nurture");
            kit.Member("CM1", c, "701A", "Working", "2026-02-01T00:00:00Z");
            var o = kit.Merge(c, l);
            Assert.Equal("5.4-3", o.Row);
            Assert.Equal("Working", o.SurvivingStatus);
            Assert.Equal("CM1", o.SurvivingResponseId);
        }

        [Fact]
        public void Row4_InactiveIntoInactive_LeadConversionOverride()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Customer");
            var l = Lead("L1", "Disqualified");
            var o = kit.Merge(c, l);
            Assert.Equal("5.4-4", o.Row);
            Assert.Equal("Disqualified", o.SurvivingStatus);
            var noOverride = new FunnelTestKit().Merge(Contact("C1", "Customer"), Lead("L1", "Closed - Converted"));
            Assert.Equal("5.4-4", noOverride.Row);
            Assert.Equal("Customer", noOverride.SurvivingStatus);
        }

        [Fact]
        public void Row5_ActiveLeadsIntoInactiveContact_OldestLeadResponseSurvives()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Nurture");
            var l1 = Lead("L1", "Working");
            var l2 = Lead("L2", "Attempting Contact");
            kit.Member("CM1", l1, "701A", "Working", "2026-02-01T00:00:00Z");
            kit.Member("CM2", l2, "701B", "Attempting Contact", "2026-01-01T00:00:00Z");
            var o = kit.Merge(c, l1, l2);
            Assert.Equal("5.4-5", o.Row);
            Assert.Equal("Attempting Contact", o.SurvivingStatus);
            Assert.Equal("CM1", Assert.Single(o.ResolvedResponses).MemberId);
        }

        [Fact]
        public void Row6_ActiveLeadsIntoOppActiveContact_AdditionalAllowed()
        {
            var kit = new FunnelTestKit(j => j["additionalResponse"] = "Always");
            var c = Contact("C1", "Active Opportunity");
            var l = Lead("L1", "Working");
            kit.Opportunity("006A").Member("CM1", c, "701A", "Working", "2025-01-01T00:00:00Z", opportunity: "006A");
            kit.Member("CM2", l, "701B", "Working", "2026-01-01T00:00:00Z");
            var o = kit.Merge(c, l);
            Assert.Equal("5.4-6", o.Row);
            Assert.Equal("Working", o.SurvivingStatus);
            Assert.Equal("CM2", o.SurvivingResponseId);
        }

        [Fact]
        public void Row7_ActiveLeadsIntoOppActiveContact_AdditionalNotAllowed()
        {
            var kit = new FunnelTestKit(j => j["additionalResponse"] = "Never");
            var c = Contact("C1", "Active Opportunity");
            var l = Lead("L1", "Working");
            kit.Opportunity("006A").Member("CM1", c, "701A", "Working", "2025-01-01T00:00:00Z", opportunity: "006A");
            kit.Member("CM2", l, "701B", "Working", "2026-01-01T00:00:00Z");
            var o = kit.Merge(c, l);
            Assert.Equal("5.4-7", o.Row);
            Assert.Equal("Active Opportunity", o.SurvivingStatus);
            Assert.Equal("CM2", Assert.Single(o.ResolvedResponses).MemberId);
        }

        [Fact]
        public void Row8_InactiveLeadsIntoOppActiveContact_Unchanged()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Active Opportunity");
            kit.Opportunity("006A").Member("CM1", c, "701A", "Working", "2025-01-01T00:00:00Z", opportunity: "006A");
            var o = kit.Merge(c, Lead("L1", "Nurture"));
            Assert.Equal("5.4-8", o.Row);
            Assert.Equal("Active Opportunity", o.SurvivingStatus);
        }

        [Fact]
        public void Row9_ActiveStatusNoResponseIntoOppActiveContact_Unchanged()
        {
            var kit = new FunnelTestKit(j => j["passive"]!["org"] = true);
            var c = Contact("C1", "Active Opportunity");
            kit.Opportunity("006A").Member("CM1", c, "701A", "Working", "2025-01-01T00:00:00Z", opportunity: "006A");
            var o = kit.Merge(c, Lead("L1", "Working"));
            Assert.Equal("5.4-9", o.Row);
            Assert.Equal("Active Opportunity", o.SurvivingStatus);
        }

        [Fact]
        public void Row10_ActiveLeadsIntoNonResponseContact_ResolvedNonResponseStatusUnchanged()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Customer", NonResponseType);
            var l = Lead("L1", "Working");
            kit.Member("CM1", l, "701A", "Working", "2026-01-01T00:00:00Z");
            var o = kit.Merge(c, l);
            Assert.Equal("5.4-10", o.Row);
            Assert.Equal("Customer", o.SurvivingStatus);
            Assert.Equal("Resolved - Non-Response RT", Assert.Single(o.ResolvedResponses).NewStatus);
        }

        [Fact]
        public void EveryDecisionExplainsItself()
        {
            var kit = new FunnelTestKit();
            var c = Contact("C1", "Working");
            var l = Lead("L1", "Marketing Qualified");
            kit.Member("CM1", c, "701A", "Working", "2026-02-01T00:00:00Z");
            kit.Member("CM2", l, "701B", "Marketing Qualified", "2026-01-01T00:00:00Z");
            var o = kit.Merge(c, l);
            Assert.StartsWith("Row 5.4-1:", o.Explanation[0]);
            Assert.Contains(o.Explanation, e => e.Contains("Surviving active response: CM2"));
            Assert.Contains(o.Explanation, e => e.Contains("CM1") && e.Contains("Resolved - Merged"));
        }
    }
}
