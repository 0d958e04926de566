import { Module } from '@nestjs/common';
import { AnalysisFeedRepository } from '../../../../libs/database/src/analysis-feed.repository';
import { AnalysisController } from './analysis.controller';
import { AnalysisService } from './analysis.service';
import { AnalysisFeed } from './store/analysis-feed';
import { AnalysisStore } from './store/analysis-store';

@Module({ controllers: [AnalysisController], providers: [AnalysisService, AnalysisStore, AnalysisFeed, AnalysisFeedRepository] })
export class AnalysisModule {}
