using System;
using System.IO;
using System.Linq;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Import-CrmRecord builds its PSCustomObjects without the engine's per-object tables (PSObject(int) and the
    /// type names set in the object's own field). They must be indistinguishable from objects built the public
    /// way (new PSObject(), PSObject.TypeNames.Insert, Properties.Add), which this compares them with.
    /// </summary>
    public class RecordObjectTests
    {
        private const string Json = "{\"totalSize\":3,\"done\":true,\"records\":[" +
            "{\"attributes\":{\"type\":\"Lead\",\"url\":\"/services/data/v59.0/sobjects/Lead/00Q000000000001AAA\"},\"Id\":\"00Q000000000001AAA\",\"LastName\":\"One\",\"NumberOfEmployees\":5,\"Tags\":[\"a\",\"b\"],\"Address\":{\"city\":\"Oslo\"}}," +
            "{\"attributes\":{\"type\":\"Lead\"},\"Id\":\"00Q000000000002AAA\",\"LastName\":\"Two\",\"HasOptedOutOfEmail\":false}," +
            "{\"attributes\":{\"type\":\"Contact\"},\"Id\":\"003000000000001AAA\",\"LastName\":\"Three\"}]}";

        // The same object built the public way, from the imported one's properties and type names.
        private const string Reference = @"
function New-Reference($o) {
    $ref = [psobject]::new()
    foreach ($p in $o.PSObject.Properties) { $ref.PSObject.Properties.Add([psnoteproperty]::new($p.Name, $p.Value)) }
    $names = @($o.PSObject.TypeNames)
    $ref.PSObject.TypeNames.Insert(0, $names[1])
    $ref.PSObject.TypeNames.Insert(0, $names[0])
    $ref
}
function Describe-Object($o) {
    ($o.PSObject.TypeNames -join '|')
    foreach ($p in $o.PSObject.Properties) { '{0} {1} {2} {3}' -f $p.Name, $p.MemberType, $p.TypeNameOfValue, $p.IsSettable }
    $o.ToString()
    [System.Management.Automation.PSSerializer]::Serialize($o, 3)
}
";

        private static string WriteExport()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "leads.json");
            File.WriteAllText(path, Json);
            return path;
        }

        [Fact]
        public void ImportedObjectsLookExactlyLikeObjectsBuiltThePublicWay()
        {
            var r = TestHost.Run(Reference + @"
$records = @(Import-CrmRecord -Path $p)
foreach ($o in $records) {
    $mine = (Describe-Object $o) -join ""`n""
    $theirs = (Describe-Object (New-Reference $o)) -join ""`n""
    $mine -ceq $theirs
    if ($mine -cne $theirs) { $mine; $theirs }
}
$records[0].PSObject.TypeNames -join '|'
$records[2].PSObject.TypeNames[0]
$records[0].attributes.type
$records[0].attributes.PSObject.TypeNames -join '|'
$records[0] -is [pscustomobject]
# Both shortcuts are in use on this engine (else this test compares the public way with itself).
$conversion = @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'LeadTools.PowerShell' })[0].GetType('LeadTools.PowerShell.RecordConversion')
$conversion.GetProperty('HasCapacityConstructor', [System.Reflection.BindingFlags]'NonPublic,Static').GetValue($null)
$conversion.GetProperty('SetsTypeNamesDirectly', [System.Reflection.BindingFlags]'NonPublic,Static').GetValue($null)
", new System.Collections.Generic.Dictionary<string, object?> { ["p"] = WriteExport() });
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            var output = r.Output.Select(o => o.BaseObject).ToArray();
            Assert.Equal(new object[]
            {
                true, true, true,
                "LeadTools.CrmRecord#Lead|LeadTools.CrmRecord|System.Management.Automation.PSCustomObject|System.Object",
                "LeadTools.CrmRecord#Contact",
                "Lead",
                "System.Management.Automation.PSCustomObject|System.Object",
                true,
                true,
                true,
            }, output);
        }

        [Fact]
        public void EachObjectOwnsItsTypeNamesAndMembers()
        {
            var r = TestHost.Run(@"
$records = @(Import-CrmRecord -Path $p)
$records[0].PSObject.TypeNames.Insert(0, 'My.Lead')
$records[0].PSObject.Properties.Add([psnoteproperty]::new('Extra', 1))
$records[0].PSObject.TypeNames[0]
$records[1].PSObject.TypeNames[0]
$records[0].Extra
$null -eq $records[1].PSObject.Properties['Extra']
$again = @(Import-CrmRecord -Path $p)
$again[0].PSObject.TypeNames[0]
$w = [psobject]::new($records[1])
$w.LastName
$w.PSObject.TypeNames[0]
", new System.Collections.Generic.Dictionary<string, object?> { ["p"] = WriteExport() });
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { "My.Lead", "LeadTools.CrmRecord#Lead", 1, true, "LeadTools.CrmRecord#Lead", "Two", "LeadTools.CrmRecord#Lead" },
                r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void RecordsGoBackIntoCmdletsWithTheirType()
        {
            var dir = Path.GetDirectoryName(WriteExport())!;
            var input = Path.Combine(dir, "..", Path.GetFileName(dir) + "-in.json");
            File.WriteAllText(input, Json);
            var output = Path.Combine(dir, "out.json");
            var r = TestHost.Run("Import-CrmRecord -Path $in | Export-CrmRecord -Path $out -Format SalesforceRest; (Import-CrmRecord -Path $out | ForEach-Object { $_.PSObject.TypeNames[0] }) -join ','",
                new System.Collections.Generic.Dictionary<string, object?> { ["in"] = input, ["out"] = output });
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal("LeadTools.CrmRecord#Lead,LeadTools.CrmRecord#Lead,LeadTools.CrmRecord#Contact", r.Output.Last().BaseObject);
        }
    }
}
