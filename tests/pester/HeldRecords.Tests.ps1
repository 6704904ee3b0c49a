# Holding many records in a variable ($leads = Import-CrmRecord ...): with -Compact they take about a tenth of the
# memory and a script must not be able to tell the difference in what it does with them. Each test runs the same
# operation on the ordinary records and on the compact ones and expects the same result.
# Pester 5 syntax; runs under Invoke-Pester and under the test project's runner (where the Utility cmdlets such as
# ConvertTo-Json do not exist: those tests mark themselves skipped there and run under a real pwsh).

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

    function Get-Both([string] $File) {
        @{ Plain = @(Import-CrmRecord -Path $File); Compact = @(Import-CrmRecord -Path $File -Compact) }
    }
    function Test-HasCommand([string] $Name) { [bool] (Get-Command $Name -ErrorAction SilentlyContinue) }
}

Describe 'Import-CrmRecord -Compact: records a script cannot tell apart' {
    Context '<Name>' -ForEach @(
        @{ Name = 'REST query with nested objects'; File = 'salesforce/restforce/query_success_response.json' }
        @{ Name = 'Data Loader CSV'; File = 'salesforce/forcedotcom_dataloader/opportunityData.csv' }
        @{ Name = 'sf tree file'; File = 'salesforce/trailheadapps_easy-spaces-lwc/Leads.json' }
        @{ Name = 'Dataverse'; File = 'dataverse/query-data-web-api.md__01_basic_accounts.json' }
        @{ Name = 'ActiveCampaign'; File = 'activecampaign/accountsList.json' }
    ) {
        BeforeAll {
            $both = Get-Both "$exports/$File"
        }

        It 'has the same number of records' {
            $both.Compact | Should -HaveCount $both.Plain.Count
        }

        It 'has the same property names in the same order' {
            for ($i = 0; $i -lt $both.Plain.Count; $i++) {
                ($both.Compact[$i].psobject.Properties.Name -join ',') | Should -BeExactly ($both.Plain[$i].psobject.Properties.Name -join ',')
            }
        }

        It 'has the same values, read by name' {
            for ($i = 0; $i -lt $both.Plain.Count; $i++) {
                foreach ($name in $both.Plain[$i].psobject.Properties.Name) {
                    $plain = $both.Plain[$i].$name
                    $compact = $both.Compact[$i].$name
                    if ($plain -is [psobject] -and $plain.psobject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
                        ($compact.psobject.Properties.Name -join ',') | Should -BeExactly ($plain.psobject.Properties.Name -join ',')
                    } elseif ($null -eq $plain) {
                        $compact | Should -BeNullOrEmpty
                    } else {
                        "$compact" | Should -BeExactly "$plain" -Because "field $name of record $i"
                        $compact.GetType() | Should -Be $plain.GetType()
                    }
                }
            }
        }

        It 'has the same type names (format views and LeadTools cmdlets rely on them)' {
            ($both.Compact[0].psobject.TypeNames -join ',') | Should -BeExactly ($both.Plain[0].psobject.TypeNames -join ',')
        }

        It 'writes the same string' {
            "$($both.Compact[0])" | Should -BeExactly "$($both.Plain[0])"
        }

        It 'round-trips through Export-CrmRecord to the same file' {
            $a = [System.IO.Path]::Combine($TestDrive, 'plain.json')
            $b = [System.IO.Path]::Combine($TestDrive, 'compact.json')
            $both.Plain | Export-CrmRecord -Path $a -Format JsonArray
            $both.Compact | Export-CrmRecord -Path $b -Format JsonArray
            [System.IO.File]::ReadAllText($b) | Should -BeExactly ([System.IO.File]::ReadAllText($a))
        }

        It 'converts to the same JSON with ConvertTo-Json' {
            if (-not (Test-HasCommand 'ConvertTo-Json')) { Set-ItResult -Skipped -Because 'ConvertTo-Json is not in this engine'; return }
            ($both.Compact | ConvertTo-Json -Depth 6) | Should -BeExactly ($both.Plain | ConvertTo-Json -Depth 6)
        }

        It 'converts to the same CSV with ConvertTo-Csv (as Export-Csv writes it)' {
            if (-not (Test-HasCommand 'ConvertTo-Csv')) { Set-ItResult -Skipped -Because 'ConvertTo-Csv is not in this engine'; return }
            ($both.Compact | ConvertTo-Csv -NoTypeInformation) -join "`n" | Should -BeExactly (($both.Plain | ConvertTo-Csv -NoTypeInformation) -join "`n")
        }

        It 'selects and formats the same (Select-Object *, Format-Table, Format-List)' {
            if (-not (Test-HasCommand 'Select-Object')) { Set-ItResult -Skipped -Because 'Select-Object is not in this engine'; return }
            ($both.Compact | Select-Object * | ConvertTo-Json -Depth 6) | Should -BeExactly ($both.Plain | Select-Object * | ConvertTo-Json -Depth 6)
            ($both.Compact | Format-Table | Out-String -Width 300) | Should -BeExactly ($both.Plain | Format-Table | Out-String -Width 300)
            ($both.Compact | Format-List | Out-String -Width 300) | Should -BeExactly ($both.Plain | Format-List | Out-String -Width 300)
        }
    }
}

Describe 'Import-CrmRecord -Compact: records a script can change' {
    BeforeAll {
        $file = "$exports/salesforce/trailheadapps_easy-spaces-lwc/Leads.json"
    }

    It 'filters and sorts the same with Where-Object and Sort-Object' {
        $both = Get-Both $file
        (@($both.Compact | Where-Object Email -like '*.com' | ForEach-Object Email) -join ',') | Should -BeExactly (@($both.Plain | Where-Object Email -like '*.com' | ForEach-Object Email) -join ',')
        if (Test-HasCommand 'Sort-Object') {
            (@($both.Compact | Sort-Object LastName | ForEach-Object LastName) -join ',') | Should -BeExactly (@($both.Plain | Sort-Object LastName | ForEach-Object LastName) -join ',')
        }
    }

    It 'keeps an edited value and writes it' {
        $leads = @(Import-CrmRecord -Path $file -Compact)
        $leads[0].Email = 'changed@example.com'
        $leads[0].attributes.referenceId = 'NewRef'
        $leads[0].Email | Should -BeExactly 'changed@example.com'
        $out = [System.IO.Path]::Combine($TestDrive, 'edited.json')
        $leads[0] | Export-CrmRecord -Path $out -Format JsonArray
        $back = @(Import-CrmRecord -Path $out)
        $back[0].Email | Should -BeExactly 'changed@example.com'
        $back[0].attributes.referenceId | Should -BeExactly 'NewRef'
    }

    It 'refuses a field the record does not have, as a PSCustomObject does' {
        $leads = @(Import-CrmRecord -Path $file -Compact)
        { $leads[0].NoSuchField = 1 } | Should -Throw
    }

    It 'takes added note properties (Add-Member) and passes them to LeadTools cmdlets' {
        $leads = @(Import-CrmRecord -Path $file -Compact)
        $leads[0].psobject.Properties.Add([psnoteproperty]::new('Segment__c', 'Gold'))   # what Add-Member does
        $leads[0].Segment__c | Should -BeExactly 'Gold'
        $out = [System.IO.Path]::Combine($TestDrive, 'added.json')
        $leads[0] | Export-CrmRecord -Path $out -Format JsonArray
        (@(Import-CrmRecord -Path $out))[0].Segment__c | Should -BeExactly 'Gold'
    }
}
