# An admin's regression check of a CRM export: it reads the export, checks what is in it, and writes
# the Data Loader file. Pester 5 syntax; runs under Invoke-Pester and under the test project's runner.
# Data: ../shared/data/exports (public sample exports; see shared/data/SOURCES.md for sources and licences).

BeforeAll {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest -Force
    $exports = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../../shared/data/exports")
}

Describe 'Import-CrmRecord on real exports' {
    Context 'format <Name>' -ForEach @(
        @{ Name = 'sf tree'; File = 'salesforce/trailheadapps_easy-spaces-lwc/Leads.json'; Type = 'Lead'; Count = 11 }
        @{ Name = 'Data Loader CSV'; File = 'salesforce/forcedotcom_dataloader/opportunityData.csv'; Type = 'Opportunity'; Count = 38 }
        @{ Name = 'Dataverse'; File = 'dataverse/query-data-web-api.md__01_basic_accounts.json'; Type = 'account'; Count = 3 }
        @{ Name = 'REST query'; File = 'salesforce/restforce/query_success_response.json'; Type = 'Whizbang'; Count = 1 }
        @{ Name = 'ActiveCampaign'; File = 'activecampaign/accountsList.json'; Type = 'account'; Count = 1 }
    ) {
        BeforeAll {
            $records = @(Import-CrmRecord -Path "$exports/$File")
        }

        It 'reads every record' {
            $records | Should -HaveCount $Count
        }

        It 'knows the object type' {
            $records[0].PSObject.TypeNames[0] | Should -BeExactly "LeadTools.CrmRecord#$Type"
        }

        It 'gives PSCustomObjects' {
            $records[0] | Should -BeOfType [System.Management.Automation.PSCustomObject]
        }
    }

    It 'matches field names case-insensitively' {
        $lead = (Import-CrmRecord "$exports/salesforce/trailheadapps_easy-spaces/Lead_Data.csv")[0]
        $lead.company | Should -Be $lead.Company
        $lead.Company | Should -Not -BeNullOrEmpty
    }

    It 'filters a mixed tree file with -ObjectType' {
        $contacts = @(Import-CrmRecord "$exports/salesforce/salesforcecli_plugin-data/accounts-contacts-tree.json" -ObjectType Contact)
        $contacts | Should -HaveCount 2
        $contacts[0].AccountId | Should -Be '@SampleAccountRef'
    }

    It 'resolves tree references on request' {
        $records = Import-CrmRecord "$exports/salesforce/salesforcecli_plugin-data/junction/Account-AccountContactRelation-Contact-plan.json" -ResolveReferences
        $relation = $records | Where-Object { $_.PSObject.TypeNames[0] -eq 'LeadTools.CrmRecord#AccountContactRelation' } | ForEach-Object { $_ }
        $relation[0].ContactId | Should -Be 'ContactRef3'
    }

    It 'reports a missing file with its ErrorId' {
        { Import-CrmRecord "$TestDrive/nope.json" -ErrorAction Stop } | Should -Throw -ErrorId 'FileNotFound,LeadTools.PowerShell.Commands.ImportCrmRecordCommand'
    }

    It 'says which encoding to use for a Windows-1252 file' {
        { Import-CrmRecord "$exports/salesforce/forcedotcom_dataloader/accountData.csv" -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*line 72*windows1252*'
        @(Import-CrmRecord "$exports/salesforce/forcedotcom_dataloader/accountData.csv" -Encoding windows1252) | Should -HaveCount 423
    }
}

Describe 'Export-CrmRecord for Data Loader' {
    BeforeAll {
        $leads = Import-CrmRecord "$exports/salesforce/trailheadapps_easy-spaces-lwc/Leads.json"
        $csv = "$TestDrive/Lead.csv"
        $leads | Export-CrmRecord -Path $csv
        $back = @(Import-CrmRecord $csv)
    }

    It 'writes every record' {
        $back | Should -HaveCount 11
    }

    It 'keeps the values' {
        $back[0].Email | Should -BeExactly $leads[0].Email
        $back[0].PSObject.TypeNames[0] | Should -Be 'LeadTools.CrmRecord#Lead'
    }

    It 'leaves out the Salesforce attributes column' {
        $back[0].PSObject.Properties.Name | Should -Not -Contain 'attributes'
    }

    It 'writes nothing under -WhatIf' {
        $leads | Export-CrmRecord -Path "$TestDrive/whatif.csv" -WhatIf
        "$TestDrive/whatif.csv" | Should -Not -Exist
    }

    It 'will not overwrite under -NoClobber' {
        { $leads | Export-CrmRecord -Path $csv -NoClobber -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,LeadTools.PowerShell.Commands.ExportCrmRecordCommand'
    }

    It 'keeps the existing file when the input is missing or cut short (issue 13: "the existing target must stay")' {
        $good = [System.IO.Path]::Combine($TestDrive, 'keep.csv')
        $leads | Export-CrmRecord -Path $good
        $before = [System.IO.File]::ReadAllText($good)
        Export-CrmRecord -SourcePath ([System.IO.Path]::Combine($TestDrive, 'typo.json')) -Path $good -ErrorVariable typo -ErrorAction SilentlyContinue
        $typo.FullyQualifiedErrorId | Should -Contain 'InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand'
        [System.IO.File]::ReadAllText($good) | Should -BeExactly $before

        $cut = [System.IO.Path]::Combine($TestDrive, 'cut.json')
        [System.IO.File]::WriteAllText($cut, '[{"attributes":{"type":"Lead"},"Id":"00Q000000000001AAA","LastName":"One"},{"attributes":{"type":"Le')
        Import-CrmRecord $cut -ErrorAction SilentlyContinue | Export-CrmRecord -Path $good -ErrorVariable cutErrors -ErrorAction SilentlyContinue
        $cutErrors.FullyQualifiedErrorId | Should -Contain 'InputIncomplete,LeadTools.PowerShell.Commands.ExportCrmRecordCommand'
        [System.IO.File]::ReadAllText($good) | Should -BeExactly $before
        @(Import-CrmRecord $good -ObjectType Lead) | Should -HaveCount 11
    }

    It 'writes what came through with -AllowPartial' {
        $partial = [System.IO.Path]::Combine($TestDrive, 'partial.csv')
        $cut = [System.IO.Path]::Combine($TestDrive, 'cut2.json')
        [System.IO.File]::WriteAllText($cut, '[{"attributes":{"type":"Lead"},"Id":"00Q000000000001AAA","LastName":"One"},{"attributes":{"type":"Le')
        Import-CrmRecord $cut -ErrorAction SilentlyContinue | Export-CrmRecord -Path $partial -AllowPartial
        @(Import-CrmRecord $partial) | Should -HaveCount 1
    }

    It 'escapes spreadsheet formulas on request' {
        [pscustomobject]@{ Id = '00Q000000000001AAA'; LastName = '=cmd' } | Export-CrmRecord -Path "$TestDrive/f.csv" -ObjectType Lead -EscapeFormula
        (Import-CrmRecord "$TestDrive/f.csv").LastName | Should -BeExactly "'=cmd"
    }
}
