"""Public datasets: cards and readers (COW, SIPRI, UN votes, ideal points, IMF DOTS, GDELT). Nothing is bundled."""
