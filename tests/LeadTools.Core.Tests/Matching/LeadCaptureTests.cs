using System.Linq;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests.Matching
{
    /// <summary>SPEC 6.3: update the matched lead, link to the matched contact, create only when nothing matches.</summary>
    public sealed class LeadCaptureTests
    {
        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => StrategyTests.Rec(type, id, fields);

        private static LeadCapture Capture()
        {
            var c = new LeadCapture(MatchStrategy.SalesforceStandard(), "parentcontactid");
            c.AddExisting(Rec("Lead", "00Q1", ("FirstName", "Robert"), ("LastName", "Smith"), ("Email", "bob@acme.com"), ("Title", "CTO")));
            c.AddExisting(Rec("Contact", "0031", ("FirstName", "An"), ("LastName", "Nguyen"), ("Email", "an@example.com")));
            c.AddExisting(Rec("Account", "0011", ("Name", "Acme")));
            return c;
        }

        [Fact]
        public void A_matching_lead_is_updated_with_non_blank_values_and_keeps_its_name()
        {
            var o = Capture().Capture(Rec(null!, "x", ("FirstName", "Bob"), ("LastName", "Smith"), ("Email", "BOB@acme.com "), ("Title", ""), ("Phone", "+1 415 555 0100")));
            Assert.Equal(CaptureAction.UpdatedLead, o.Action);
            Assert.Equal("00Q1", o.Lead.Id);
            Assert.Equal(new[] { "Phone" }, o.UpdatedFields.ToArray());
            Assert.Equal("Robert", o.Lead["FirstName"]);
            Assert.Equal("CTO", o.Lead["Title"]);
            Assert.Equal("Name+Email", o.Match!.Rule);
        }

        [Fact]
        public void A_matching_contact_gets_a_linked_lead_and_the_credit()
        {
            var o = Capture().Capture(Rec(null!, "x", ("FirstName", "An"), ("LastName", "Nguyen"), ("Email", "an@example.com")));
            Assert.Equal(CaptureAction.LinkedToContact, o.Action);
            Assert.Equal("0031", o.Lead["parentcontactid"]);
            Assert.Equal("0031", o.CreditedToId);
            Assert.Equal("Lead", o.Lead.ObjectType);
            Assert.StartsWith("00QLTnew", o.Lead.Id);
        }

        [Fact]
        public void Nothing_matching_creates_a_lead_that_later_submissions_update()
        {
            var c = Capture();
            var first = c.Capture(Rec(null!, "x", ("FirstName", "Mei"), ("LastName", "Tanaka"), ("Email", "mei@example.jp")));
            var second = c.Capture(Rec(null!, "y", ("FirstName", "Mei"), ("LastName", "Tanaka"), ("Email", "mei@example.jp"), ("Company", "Tanaka Design")));
            Assert.Equal(CaptureAction.CreatedLead, first.Action);
            Assert.Null(first.Matched);
            Assert.Equal(CaptureAction.UpdatedLead, second.Action);
            Assert.Equal(first.Lead.Id, second.Lead.Id);
            Assert.Equal(new[] { "Company" }, second.UpdatedFields.ToArray());
        }
    }
}
