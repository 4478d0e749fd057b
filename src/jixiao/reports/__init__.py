"""Official tables (考核汇总表, 个人得分记分手册, 考核结果兑现表) as XLSX and PDF."""
